#!/usr/bin/env node
// Some registry mirrors serve only the platform packages of the machine they run on, and npm then leaves the other
// platforms' optional binaries (e.g. @swc/core-darwin-arm64) out of package-lock.json, which makes `npm ci` refuse
// the lock. This adds those entries back as optional, platform-restricted stubs, which `npm ci` skips on every
// platform they do not match (and fetches normally where they do). Run after `npm install` changes the lock.
import { readFileSync, writeFileSync } from 'node:fs';

const OS = ['darwin', 'win32', 'linux', 'android', 'freebsd', 'openharmony', 'sunos', 'aix', 'netbsd', 'openbsd'];
const CPU = ['arm64', 'x64', 'ia32', 'arm', 'ppc64', 's390x', 'riscv64', 'loong64', 'wasm32'];

const lockPath = new URL('../package-lock.json', import.meta.url);
const lock = JSON.parse(readFileSync(lockPath, 'utf8'));
const packages = lock.packages;
let added = 0;
for (const [path, entry] of Object.entries(packages)) {
  for (const [name, version] of Object.entries(entry.optionalDependencies ?? {})) {
    const key = `node_modules/${name}`;
    const nested = `${path}/node_modules/${name}`;
    if (packages[key] || packages[nested]) continue;
    const parts = name.split('/').pop().split('-');
    const os = parts.find((part) => OS.includes(part));
    const cpu = parts.find((part) => CPU.includes(part)) ?? (parts.includes('arm') ? 'arm' : undefined);
    if (!os || !cpu) {
      console.error(`cannot tell the platform of ${name}; add its entry by hand`);
      process.exitCode = 1;
      continue;
    }
    const libc = parts.some((part) => part.startsWith('musl'))
      ? ['musl']
      : parts.some((part) => part.startsWith('gnu')) && os === 'linux'
        ? ['glibc']
        : undefined;
    packages[key] = { version, optional: true, os: [os], cpu: [cpu], ...(libc ? { libc } : {}) };
    added += 1;
  }
}
writeFileSync(lockPath, `${JSON.stringify(lock, null, 2)}\n`);
console.log(`package-lock.json: added ${added} platform stub(s)`);
