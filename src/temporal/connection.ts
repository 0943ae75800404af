// Connection options for a Temporal cluster from configuration: plain, mTLS, or Temporal Cloud's API key.
import { readFileSync } from 'node:fs';
import { defaultGrpcRetryOptions, makeGrpcRetryInterceptor, type TLSConfig } from '@temporalio/client';
import type { Config } from '../config';

/** Accepted by both the client's Connection and the worker's NativeConnection. */
export interface TemporalConnectionSettings {
  address: string;
  tls?: TLSConfig;
  apiKey?: string;
}

export function temporalConnectionSettings(config: Config, address: string): TemporalConnectionSettings {
  const { TEMPORAL_TLS_CERT: cert, TEMPORAL_TLS_KEY: key, TEMPORAL_TLS_CA: ca, TEMPORAL_API_KEY: apiKey } = config;
  const mtls = cert !== undefined && key !== undefined;
  if (!mtls && ca === undefined && apiKey === undefined) return { address };
  return {
    address,
    apiKey,
    tls: {
      ...(ca !== undefined ? { serverRootCACertificate: readFileSync(ca) } : {}),
      ...(mtls ? { clientCertPair: { crt: readFileSync(cert), key: readFileSync(key) } } : {}),
    },
  };
}

/**
 * gRPC interceptors for the API's connection: a few quick retries ride out a blip, then the request fails and
 * the API answers 503 within about a second, instead of the client's default of retrying for many seconds.
 */
export function apiConnectionInterceptors() {
  return [makeGrpcRetryInterceptor(defaultGrpcRetryOptions({ maxAttempts: 4 }))];
}
