// Static consistency checks of the production shape (docker-compose.yml, Dockerfile, deploy/) against the app:
// nothing here runs Docker; it reads the files and compares them with what the code declares.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import {
  appDatabaseEnvironment,
  CLUSTER_DEFAULTS,
  namespaceEnvironment,
  productEnvironment,
  schemaEnvironment,
  serverEnvironment,
  SHARED_FILES,
  type ProductSettings,
} from '../../scripts/cluster/settings';
import { SERVER_PORTS, type ClusterPorts } from '../../scripts/cluster/ports';
import { TEMPORAL_SERVER_VERSION } from '../../scripts/cluster/temporal-build';
import { CONFIG_KEYS, loadConfig } from '../../src/config';
import { ESCALATION_SEARCH_ATTRIBUTES } from '../../src/shared/search-attributes';
import { TemplateLibrary } from '../../src/templates/library';

const ROOT = path.resolve(__dirname, '../..');
const APP_ROLES = { worker: 'worker', api: 'api' } as const;
const APP_SERVICES = Object.keys(APP_ROLES) as (keyof typeof APP_ROLES)[];
/** Variables the app services may set although the app's config does not read them. */
const ALLOWED_EXTRA_APP_VARIABLES = ['NODE_ENV'];

type Mount = string | { type?: string; source?: string; target: string; read_only?: boolean };
type Port = string | number | { target: number | string; published?: number | string };

interface ComposeService {
  image?: string;
  build?: string | { context?: string; dockerfile?: string };
  command?: string | string[];
  entrypoint?: string | string[];
  environment?: Record<string, string | number | boolean | null> | string[];
  depends_on?: string[] | Record<string, { condition?: string }>;
  volumes?: Mount[];
  ports?: Port[];
  healthcheck?: { test?: string | string[] };
  stop_grace_period?: string;
}

interface ComposeFile {
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
}

function readRepoFile(relativePath: string): string {
  return readFileSync(path.join(ROOT, relativePath), 'utf8');
}

const compose = YAML.parse(readRepoFile('docker-compose.yml')) as ComposeFile;
const services = compose.services;

/** Resolves compose interpolation the way `docker compose` does with an empty environment: defaults apply. */
function interpolate(value: string): string {
  return value.replace(
    /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g,
    (match, _name: string | undefined, operator: string | undefined, argument: string | undefined) => {
      if (match === '$$') return '$';
      return operator !== undefined && operator.endsWith('-') ? (argument ?? '') : '';
    },
  );
}

function service(name: string): ComposeService {
  const found = services[name];
  if (found === undefined) throw new Error(`docker-compose.yml has no service "${name}"`);
  return found;
}

function environmentOf(name: string): Record<string, string> {
  const environment = service(name).environment ?? {};
  const entries: [string, string][] = Array.isArray(environment)
    ? environment.map((entry) => {
        const separator = entry.indexOf('=');
        return separator === -1 ? [entry, ''] : [entry.slice(0, separator), entry.slice(separator + 1)];
      })
    : Object.entries(environment).map(([key, value]) => [key, value === null ? '' : String(value)]);
  return Object.fromEntries(entries.map(([key, value]) => [key, interpolate(value)]));
}

function variable(serviceName: string, key: string): string {
  const value = environmentOf(serviceName)[key];
  if (value === undefined) throw new Error(`service "${serviceName}" does not set ${key}`);
  return value;
}

function dependenciesOf(name: string): Record<string, string | undefined> {
  const dependsOn = service(name).depends_on ?? [];
  return Array.isArray(dependsOn)
    ? Object.fromEntries(dependsOn.map((dependency) => [dependency, undefined]))
    : Object.fromEntries(Object.entries(dependsOn).map(([dependency, options]) => [dependency, options?.condition]));
}

function commandOf(name: string): string[] {
  const command = service(name).command ?? [];
  return Array.isArray(command) ? command : command.split(/\s+/).filter(Boolean);
}

interface BindMount {
  hostPath: string;
  target: string;
  readOnly: boolean;
}

/** Bind mounts (host paths, resolved against the repo root); named volumes are left out. */
function bindMountsOf(name: string): BindMount[] {
  return (service(name).volumes ?? []).flatMap((mount): BindMount[] => {
    if (typeof mount === 'string') {
      const [source = '', target = '', mode = ''] = interpolate(mount).split(':');
      if (!source.startsWith('.') && !source.startsWith('/')) return [];
      return [{ hostPath: path.resolve(ROOT, source), target, readOnly: mode.split(',').includes('ro') }];
    }
    if (mount.type !== 'bind' || mount.source === undefined) return [];
    return [
      { hostPath: path.resolve(ROOT, interpolate(mount.source)), target: mount.target, readOnly: !!mount.read_only },
    ];
  });
}

/** Where a path inside the service's container comes from on the host, through its bind mounts. */
function hostPathOf(name: string, containerPath: string): BindMount & { path: string } {
  const mount = bindMountsOf(name)
    .filter(({ target }) => containerPath === target || containerPath.startsWith(`${target.replace(/\/$/, '')}/`))
    .sort((a, b) => b.target.length - a.target.length)[0];
  if (mount === undefined) throw new Error(`${containerPath} is not inside a bind mount of service "${name}"`);
  return { ...mount, path: path.join(mount.hostPath, path.posix.relative(mount.target, containerPath)) };
}

function publishedPortsOf(name: string): { published: number; target: number }[] {
  return (service(name).ports ?? []).map((port) => {
    if (typeof port === 'object') {
      return { published: Number(port.published ?? port.target), target: Number(port.target) };
    }
    const parts = String(port).split('/')[0]!.split(':');
    const target = Number(parts[parts.length - 1]);
    const published = parts.length > 1 ? Number(parts[parts.length - 2]) : target;
    return { published, target };
  });
}

function imageTag(image: string): string | undefined {
  const withoutDigest = image.split('@')[0]!;
  const lastSegment = withoutDigest.slice(withoutDigest.lastIndexOf('/') + 1);
  const colon = lastSegment.indexOf(':');
  return colon === -1 ? undefined : lastSegment.slice(colon + 1);
}

function isPinned(image: string): boolean {
  const tag = imageTag(image);
  return tag !== undefined && tag !== 'latest' && /\d+\.\d+/.test(tag);
}

function serviceWithImage(prefix: string): string {
  const name = Object.keys(services).find((candidate) => service(candidate).image?.startsWith(prefix));
  if (name === undefined) throw new Error(`no service runs an image ${prefix}*`);
  return name;
}

function durationSeconds(duration: string): number {
  const units: Record<string, number> = { h: 3600, m: 60, s: 1, ms: 0.001 };
  const parts = [...duration.matchAll(/(\d+(?:\.\d+)?)(ms|h|m|s)/g)];
  if (parts.length === 0) throw new Error(`not a compose duration: ${duration}`);
  return parts.reduce((total, [, amount, unit]) => total + Number(amount) * units[unit!]!, 0);
}

describe('docker-compose.yml', () => {
  it('pins every service image to an exact version tag', () => {
    for (const [name, definition] of Object.entries(services)) {
      expect({ name, hasImage: definition.image !== undefined }).toEqual({ name, hasImage: true });
      expect({ name, image: definition.image, pinned: isPinned(definition.image ?? '') }).toEqual({
        name,
        image: definition.image,
        pinned: true,
      });
    }
  });

  it('tags the image built from the Dockerfile with the package version', () => {
    const packageJson = JSON.parse(readRepoFile('package.json')) as { name: string; version: string };
    const built = Object.entries(services).filter(([, definition]) => definition.build !== undefined);
    expect(built.map(([name]) => name).sort()).toEqual([...APP_SERVICES].sort());
    for (const [, definition] of built) {
      expect(definition.image).toBe(`${packageJson.name}:${packageJson.version}`);
      const context = typeof definition.build === 'string' ? definition.build : (definition.build?.context ?? '.');
      const dockerfile =
        typeof definition.build === 'object' ? (definition.build.dockerfile ?? 'Dockerfile') : 'Dockerfile';
      expect(path.resolve(ROOT, context, dockerfile)).toBe(path.join(ROOT, 'Dockerfile'));
    }
  });

  it('builds the app on pinned base images in every Dockerfile stage', () => {
    const stages: string[] = [];
    const bases: string[] = [];
    for (const line of readRepoFile('Dockerfile').split('\n')) {
      const from = /^\s*FROM\s+(?:--platform=\S+\s+)?(\S+)(?:\s+AS\s+(\S+))?/i.exec(line);
      if (from === null) continue;
      if (!stages.includes(from[1]!)) bases.push(from[1]!);
      if (from[2] !== undefined) stages.push(from[2]);
    }
    expect(bases.length).toBeGreaterThan(0);
    for (const base of bases) expect({ base, pinned: isPinned(base) }).toEqual({ base, pinned: true });
  });

  it.each(APP_SERVICES)('sets every variable the app reads in the %s service', (name) => {
    const keys = Object.keys(environmentOf(name));
    expect(CONFIG_KEYS.filter((key) => !keys.includes(key))).toEqual([]);
  });

  it.each(APP_SERVICES)('sets nothing in the %s service that the app does not read', (name) => {
    const known: string[] = [...CONFIG_KEYS, ...ALLOWED_EXTRA_APP_VARIABLES];
    expect(Object.keys(environmentOf(name)).filter((key) => !known.includes(key))).toEqual([]);
  });

  it.each(APP_SERVICES)('gives the %s service a configuration the app accepts, against external services', (name) => {
    const config = loadConfig(environmentOf(name));
    expect(config.TEMPORAL_ADDRESS).toBeDefined();
    expect(config.DATABASE_URL).toBeDefined();
  });

  it('gives worker and api the same configuration', () => {
    expect(environmentOf('api')).toEqual(environmentOf('worker'));
  });

  it('registers exactly the search attributes the app declares, with their types', () => {
    const setup = service('temporal-setup');
    const command = [...(Array.isArray(setup.entrypoint) ? setup.entrypoint : []), ...commandOf('temporal-setup')];
    const script = command.find((part) => part.endsWith('.sh'));
    expect(script).toBeDefined();
    const mounted = hostPathOf('temporal-setup', script!);
    expect(path.relative(ROOT, mounted.path)).toBe(path.join('deploy', 'temporal', 'setup.sh'));

    const text = readFileSync(mounted.path, 'utf8');
    expect(text).toMatch(/temporal operator search-attribute create\b[^\n]*(\\\n[^\n]*)*--type/);
    const registered = [...text.matchAll(/^\s*register_search_attribute\s+(\w+)\s+(\w+)\s*$/gm)].map(
      ([, name, type]) => ({ name: name!, type: type!.toUpperCase() }),
    );
    const declared = ESCALATION_SEARCH_ATTRIBUTES.map(({ name, type }) => ({
      name,
      type: String(type).toUpperCase(),
    }));
    const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);
    expect(registered.sort(byName)).toEqual(declared.sort(byName));
  });

  it('creates the namespace that worker and api use', () => {
    expect(readRepoFile('deploy/temporal/setup.sh')).toContain('temporal operator namespace create');
    for (const name of APP_SERVICES) {
      expect(variable('temporal-setup', 'TEMPORAL_NAMESPACE')).toBe(variable(name, 'TEMPORAL_NAMESPACE'));
    }
  });

  it('names only existing services in depends_on', () => {
    const known = Object.keys(services);
    for (const name of known) {
      for (const dependency of Object.keys(dependenciesOf(name))) {
        expect({ service: name, dependsOn: dependency, exists: known.includes(dependency) }).toEqual({
          service: name,
          dependsOn: dependency,
          exists: true,
        });
      }
    }
  });

  it('starts worker and api only after Temporal is set up and PostgreSQL is healthy', () => {
    const postgres = serviceWithImage('postgres:');
    for (const name of APP_SERVICES) {
      expect(dependenciesOf(name)).toMatchObject({
        'temporal-setup': 'service_completed_successfully',
        [postgres]: 'service_healthy',
      });
    }
  });

  it("sets up Temporal's schema in a one-shot job before the server starts", () => {
    const server = serviceWithImage('temporalio/server:');
    const adminTools = Object.entries(dependenciesOf(server)).find(
      ([dependency, condition]) =>
        service(dependency).image?.startsWith('temporalio/admin-tools:') &&
        condition === 'service_completed_successfully',
    )?.[0];
    expect(adminTools).toBeDefined();
    expect(imageTag(service(adminTools!).image!)).toBe(imageTag(service(server).image!));
    expect(variable(adminTools!, 'SQL_HOST')).toBe(variable(server, 'POSTGRES_SEEDS'));
    expect(variable(adminTools!, 'DBNAME')).toBe(variable(server, 'DBNAME'));
    expect(variable(adminTools!, 'VISIBILITY_DBNAME')).toBe(variable(server, 'VISIBILITY_DBNAME'));
    expect(variable(adminTools!, 'SQL_PASSWORD')).toBe(variable(server, 'POSTGRES_PWD'));
    expect(variable(server, 'POSTGRES_SEEDS')).toBe(serviceWithImage('postgres:'));
    const script = commandOf(adminTools!).find((part) => part.endsWith('.sh'));
    expect(existsSync(hostPathOf(adminTools!, script!).path)).toBe(true);
  });

  it('mounts the dynamic config file the Temporal server is pointed at', () => {
    const server = serviceWithImage('temporalio/server:');
    const file = variable(server, 'DYNAMIC_CONFIG_FILE_PATH');
    const containerPath = path.posix.isAbsolute(file) ? file : path.posix.join('/etc/temporal', file);
    const mounted = hostPathOf(server, containerPath);
    expect(existsSync(mounted.path) && statSync(mounted.path).isFile()).toBe(true);
  });

  it('publishes the api on the port it listens on and checks readiness there', () => {
    const port = Number(variable('api', 'PORT'));
    expect(publishedPortsOf('api')).toContainEqual({ published: port, target: port });
    const healthcheck = service('api').healthcheck?.test;
    const test = Array.isArray(healthcheck) ? healthcheck.join(' ') : (healthcheck ?? '');
    expect(test).toContain(`http://localhost:${port}/readyz`);
  });

  it("points worker, api, setup and UI at the temporal service's gRPC port", () => {
    const server = serviceWithImage('temporalio/server:');
    const grpcPort = environmentOf(server).FRONTEND_GRPC_PORT ?? '7233';
    for (const name of [...APP_SERVICES, 'temporal-setup', serviceWithImage('temporalio/ui:')]) {
      expect({ name, address: variable(name, 'TEMPORAL_ADDRESS') }).toEqual({ name, address: `${server}:${grpcPort}` });
    }
  });

  it('connects worker and api to the escalations database that the PostgreSQL init script creates', () => {
    const postgres = serviceWithImage('postgres:');
    const database = environmentOf(postgres);
    for (const name of APP_SERVICES) {
      const url = new URL(variable(name, 'DATABASE_URL'));
      expect(url.protocol).toMatch(/^postgres(ql)?:$/);
      expect(url.hostname).toBe(postgres);
      expect(url.port || '5432').toBe('5432');
      expect(url.pathname).toBe('/escalations');
      expect({
        user: decodeURIComponent(url.username),
        password: decodeURIComponent(url.password),
        database: url.pathname.slice(1),
      }).toEqual({
        user: database.ESCALATIONS_DB_USER,
        password: database.ESCALATIONS_DB_PASSWORD,
        database: database.ESCALATIONS_DB_NAME,
      });
    }

    const initDir = hostPathOf(postgres, '/docker-entrypoint-initdb.d');
    expect(path.relative(ROOT, initDir.path)).toBe(path.join('deploy', 'postgres-init'));
    const scripts = readdirSync(initDir.path)
      .filter((file) => /\.(sh|sql)$/.test(file))
      .map((file) => readFileSync(path.join(initDir.path, file), 'utf8'))
      .join('\n');
    expect(scripts).toMatch(/CREATE DATABASE/i);
    for (const key of ['ESCALATIONS_DB_NAME', 'ESCALATIONS_DB_USER', 'ESCALATIONS_DB_PASSWORD']) {
      expect(scripts).toContain(key);
    }
  });

  it.each(APP_SERVICES)('reads the matrix in the %s service from the config folder, mounted read-only', (name) => {
    const mounted = hostPathOf(name, variable(name, 'MATRIX_FILE'));
    expect(mounted.hostPath).toBe(path.join(ROOT, 'config'));
    expect(mounted.readOnly).toBe(true);
  });

  it.each(APP_SERVICES)(
    'reads the notification templates in the %s service from the templates folder, mounted read-only',
    (name) => {
      const mounted = hostPathOf(name, variable(name, 'TEMPLATES_DIR'));
      expect(mounted.path).toBe(path.join(ROOT, 'templates'));
      expect(mounted.readOnly).toBe(true);
      expect(TemplateLibrary.load(mounted.path, { publicUrl: variable(name, 'PUBLIC_URL') }).missing()).toEqual([]);
    },
  );

  it('puts the default templates into the image', () => {
    expect(readRepoFile('Dockerfile')).toMatch(/^COPY --from=build \/app\/templates \.\/templates$/m);
  });

  it('runs the worker and api roles that src/main.ts handles', () => {
    const tsconfig = JSON.parse(readRepoFile('tsconfig.json')) as {
      compilerOptions: { outDir: string; rootDir: string };
    };
    const entry = path.posix.join(
      tsconfig.compilerOptions.outDir,
      path.posix.relative(tsconfig.compilerOptions.rootDir, 'src'),
      'main.js',
    );
    for (const name of APP_SERVICES) {
      expect(commandOf(name)).toEqual(['node', entry, APP_ROLES[name]]);
    }
    const main = readRepoFile('src/main.ts');
    for (const role of Object.values(APP_ROLES)) expect(main).toContain(`'${role}'`);
  });

  it('gives the worker more time to stop than SHUTDOWN_GRACE_SECONDS', () => {
    const grace = Number(variable('worker', 'SHUTDOWN_GRACE_SECONDS'));
    expect(durationSeconds(service('worker').stop_grace_period ?? '10s')).toBeGreaterThan(grace);
  });

  it('declares every named volume it uses', () => {
    const declared = Object.keys(compose.volumes ?? {});
    for (const definition of Object.values(services)) {
      for (const mount of definition.volumes ?? []) {
        const source = typeof mount === 'string' ? mount.split(':')[0]! : (mount.source ?? '');
        if (source === '' || source.startsWith('.') || source.startsWith('/')) continue;
        expect(declared).toContain(source);
      }
    }
  });
});

// `npm run cluster` runs the same topology outside Docker (scripts/cluster): the settings it hands to each part must
// be the ones docker-compose.yml hands to the same part, so that what the cluster tests is what compose deploys.
describe('docker-compose.yml and npm run cluster', () => {
  const ports = Object.fromEntries(
    SERVER_PORTS.map((name, index) => [name, 20_000 + index]),
  ) as unknown as ClusterPorts;
  const secrets = { temporalDbPassword: 'pw', appDbPassword: 'app-pw', feedbackSecret: 'secret' };
  const server = serviceWithImage('temporalio/server:');
  const product: ProductSettings = {
    temporalAddress: '127.0.0.1:7233',
    namespace: CLUSTER_DEFAULTS.namespace,
    taskQueue: CLUSTER_DEFAULTS.taskQueue,
    databaseUrl: 'postgres://escalations:pw@127.0.0.1:5432/escalations',
    matrixFile: 'config/matrix.yaml',
    templatesDir: 'templates',
    notificationLogFile: 'notifications.jsonl',
    publicUrl: 'http://127.0.0.1:3000',
    feedbackSecret: 'secret',
    dataDir: 'data',
  };
  const mountedScript = (name: string) => {
    const definition = service(name);
    const command = [...(Array.isArray(definition.entrypoint) ? definition.entrypoint : []), ...commandOf(name)];
    const script = command.find((part) => part.endsWith('.sh'));
    expect(script).toBeDefined();
    return path.relative(ROOT, hostPathOf(name, script!).path);
  };
  const missingKeys = (expected: Record<string, string>, name: string) =>
    Object.keys(expected).filter((key) => !(key in environmentOf(name)));

  /** The variables deploy/temporal/postgres.yaml reads, and whether it has a default for each. */
  const templateVariables = () => {
    const text = readRepoFile(SHARED_FILES.serverConfig);
    const read = new Map<string, boolean>();
    for (const [, name] of text.matchAll(/\(?env "([A-Z0-9_]+)"\)?/g)) read.set(name!, read.get(name!) ?? false);
    for (const [, name] of text.matchAll(/default\s+(?:"[^"]*"|\$\w+)\s+\(env "([A-Z0-9_]+)"\)/g))
      read.set(name!, true);
    return read;
  };

  it('runs the Temporal server release that the cluster builds, schema job and namespace job included', () => {
    const version = TEMPORAL_SERVER_VERSION.replace(/^v/, '');
    expect(imageTag(service(server).image!)).toBe(version);
    for (const name of ['temporal-admin-tools', 'temporal-setup']) expect(imageTag(service(name).image!)).toBe(version);
  });

  it('starts the Temporal server with the config file and dynamic config the cluster uses', () => {
    const configFile = hostPathOf(server, variable(server, 'TEMPORAL_SERVER_CONFIG_FILE_PATH'));
    expect(path.relative(ROOT, configFile.path)).toBe(SHARED_FILES.serverConfig);
    expect(configFile.readOnly).toBe(true);
    expect(readRepoFile(SHARED_FILES.serverConfig).split('\n')[0]).toBe('# enable-template');
    const dynamic = hostPathOf(server, variable(server, 'DYNAMIC_CONFIG_FILE_PATH'));
    expect(path.relative(ROOT, dynamic.path)).toBe(SHARED_FILES.dynamicConfig);
    expect(path.relative(ROOT, serverEnvironment(ports, secrets).DYNAMIC_CONFIG_FILE_PATH!)).toBe(
      SHARED_FILES.dynamicConfig,
    );
  });

  it('gives the Temporal server every variable its config reads without a default, in both', () => {
    const required = [...templateVariables()].filter(([, hasDefault]) => !hasDefault).map(([name]) => name);
    expect(required.length).toBeGreaterThan(0);
    const cluster = serverEnvironment(ports, secrets);
    expect(required.filter((name) => !(name in environmentOf(server)))).toEqual([]);
    expect(required.filter((name) => !(name in cluster))).toEqual([]);
  });

  it('sets nothing on the cluster server that its config does not read, and the rest as compose does', () => {
    const read = templateVariables();
    const cluster = serverEnvironment(ports, secrets);
    expect(Object.keys(cluster).filter((name) => !read.has(name))).toEqual([]);
    // Compose may leave out only ports the config defaults to the image's standard ones (one container per server).
    const notInCompose = missingKeys(cluster, server);
    expect(notInCompose.filter((name) => !(name.endsWith('_PORT') && read.get(name) === true))).toEqual([]);
    for (const name of ['DB', 'DBNAME', 'VISIBILITY_DBNAME', 'NUM_HISTORY_SHARDS', 'POSTGRES_USER']) {
      expect({ name, value: variable(server, name) }).toEqual({ name, value: cluster[name] });
    }
  });

  it('creates and migrates the schemas with the same script and variables', () => {
    expect(mountedScript('temporal-admin-tools')).toBe(SHARED_FILES.schemaScript);
    const cluster = schemaEnvironment(ports, secrets);
    expect(missingKeys(cluster, 'temporal-admin-tools')).toEqual([]);
    for (const name of ['SQL_PLUGIN', 'SQL_USER', 'DBNAME', 'VISIBILITY_DBNAME']) {
      expect({ name, value: variable('temporal-admin-tools', name) }).toEqual({ name, value: cluster[name] });
    }
  });

  it('registers the namespace and the search attributes with the same script and variables', () => {
    expect(mountedScript('temporal-setup')).toBe(SHARED_FILES.namespaceScript);
    const cluster = namespaceEnvironment('127.0.0.1:7233', CLUSTER_DEFAULTS.namespace);
    expect(missingKeys(cluster, 'temporal-setup')).toEqual([]);
    for (const name of ['TEMPORAL_NAMESPACE', 'NAMESPACE_RETENTION']) {
      expect({ name, value: variable('temporal-setup', name) }).toEqual({ name, value: cluster[name] });
    }
  });

  it("creates the product's database with the same script and names", () => {
    const postgres = serviceWithImage('postgres:');
    const initDir = hostPathOf(postgres, '/docker-entrypoint-initdb.d');
    expect(path.relative(ROOT, path.join(initDir.path, path.basename(SHARED_FILES.appDatabaseScript)))).toBe(
      SHARED_FILES.appDatabaseScript,
    );
    const cluster = appDatabaseEnvironment(ports, secrets);
    for (const name of ['POSTGRES_USER', 'ESCALATIONS_DB_NAME', 'ESCALATIONS_DB_USER']) {
      expect({ name, value: variable(postgres, name) }).toEqual({ name, value: cluster[name] });
    }
  });

  it.each(APP_SERVICES)(
    'sets every variable the cluster gives its %s processes in the compose service as well',
    (name) => {
      const cluster = productEnvironment(name, 9000, product);
      expect(missingKeys(cluster, name)).toEqual([]);
      for (const key of ['TEMPORAL_NAMESPACE', 'TASK_QUEUE']) {
        expect({ key, value: variable(name, key) }).toEqual({ key, value: cluster[key] });
      }
      const url = new URL(variable(name, 'DATABASE_URL'));
      expect({ user: url.username, database: url.pathname.slice(1) }).toEqual({
        user: CLUSTER_DEFAULTS.appUser,
        database: CLUSTER_DEFAULTS.appDatabase,
      });
    },
  );
});
