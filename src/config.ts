// Configuration from the environment, parsed once at start-up; every variable is listed in README.md.
import { z } from 'zod';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const port = (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback);
const optionalText = z
  .string()
  .optional()
  .transform((value) => (value === undefined || value.trim() === '' ? undefined : value));

export const configSchema = z.object({
  /** host:port of an existing Temporal cluster; unset means `npm start` runs the embedded dev server. */
  TEMPORAL_ADDRESS: optionalText,
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TASK_QUEUE: z.string().min(1).default('escalations'),
  /** TLS for a remote cluster: client certificate and key files (mTLS), optional CA file. */
  TEMPORAL_TLS_CERT: optionalText,
  TEMPORAL_TLS_KEY: optionalText,
  TEMPORAL_TLS_CA: optionalText,
  /** API key for Temporal Cloud; implies TLS. */
  TEMPORAL_API_KEY: optionalText,
  /** Ports of the embedded dev server (only used without TEMPORAL_ADDRESS). */
  TEMPORAL_DEV_PORT: port(7233),
  TEMPORAL_UI_PORT: port(8233),
  PORT: port(3000),
  /**
   * Port of `GET /metrics` (Prometheus) in a worker-only process (`npm run start:worker`); the API and the all-in-one
   * process serve their metrics on PORT instead.
   */
  METRICS_PORT: port(9464),
  /**
   * Port on which the Temporal SDK's core serves its own worker metrics (task slots, latencies) in Prometheus format,
   * in processes that run the worker; unset: not exported.
   */
  TEMPORAL_METRICS_PORT: z.preprocess(
    (value) => (typeof value === 'string' && value.trim() === '' ? undefined : value),
    z.coerce.number().int().min(1).max(65535).optional(),
  ),
  MATRIX_FILE: z.string().min(1).default('config/matrix.yaml'),
  /**
   * Folder of notification templates (`<audience>/<event>.hbs`), relative to the working directory; read by the
   * worker at start-up. A notice without a template there is sent with its built-in text.
   */
  TEMPLATES_DIR: z.string().min(1).default('templates'),
  /** PostgreSQL connection string; unset means the embedded store under DATA_DIR. */
  DATABASE_URL: optionalText,
  /** Where the embedded dev server and embedded store keep their state. */
  DATA_DIR: z.string().min(1).default('data'),
  LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
  /** Seconds the worker lets running activities finish on shutdown. */
  SHUTDOWN_GRACE_SECONDS: z.coerce.number().positive().default(10),
  /** Where the log channel writes notifications as JSON lines; `-` is standard output. */
  NOTIFICATION_LOG_FILE: z.string().min(1).default('-'),
  /** SMTP server for the email channel, e.g. smtp://user:pass@mail.example.com:587; unset disables email. */
  SMTP_URL: optionalText,
  /** Sender of notification emails, e.g. "Escalations <escalations@example.com>"; required with SMTP_URL. */
  SMTP_FROM: optionalText,
  /** Secret that signs generic webhook requests (HMAC-SHA256); unset disables the webhook channel. */
  WEBHOOK_SECRET: optionalText,
  /** Where people open a case (links in emails and Slack), e.g. https://escalations.example.com. */
  PUBLIC_URL: optionalText,
  /**
   * Secret that signs the reporter's feedback links (HMAC-SHA256). Unset: one is generated once and kept in
   * `DATA_DIR/feedback-secret`; set it when worker and API do not share DATA_DIR, or links will not verify.
   */
  FEEDBACK_SECRET: optionalText,
});

export type Config = z.infer<typeof configSchema>;

/** Every variable the app reads: docker-compose and the README are checked against this list. */
export const CONFIG_KEYS = Object.keys(configSchema.shape) as (keyof Config)[];

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = configSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const config = parsed.data;
  if ((config.TEMPORAL_TLS_CERT === undefined) !== (config.TEMPORAL_TLS_KEY === undefined)) {
    throw new ConfigError(
      'Invalid configuration:\nTEMPORAL_TLS_CERT: set together with TEMPORAL_TLS_KEY (mTLS needs both)',
    );
  }
  if (config.SMTP_URL !== undefined && config.SMTP_FROM === undefined) {
    throw new ConfigError('Invalid configuration:\nSMTP_FROM: set the sender address when SMTP_URL enables email');
  }
  return config;
}
