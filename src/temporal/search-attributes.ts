// Registers the escalation search attributes on a namespace if they are missing (safe on every start).
import { status as grpcStatus } from '@grpc/grpc-js';
import type { Connection } from '@temporalio/client';
import { encodeSearchAttributeIndexedValueType } from '@temporalio/common/lib/search-attributes';
import type { temporal } from '@temporalio/proto';
import { ESCALATION_SEARCH_ATTRIBUTES } from '../shared/search-attributes';

/** Returns the names it added (empty when all were there already). */
export async function ensureSearchAttributes(connection: Connection, namespace: string): Promise<string[]> {
  const existing = await connection.operatorService.listSearchAttributes({ namespace });
  const known = new Set(Object.keys(existing.customAttributes ?? {}));
  const missing = ESCALATION_SEARCH_ATTRIBUTES.filter((key) => !known.has(key.name));
  if (missing.length === 0) return [];
  const searchAttributes = Object.fromEntries(
    missing.map((key) => [
      key.name,
      encodeSearchAttributeIndexedValueType(key.type) as temporal.api.enums.v1.IndexedValueType,
    ]),
  );
  try {
    await connection.operatorService.addSearchAttributes({ namespace, searchAttributes });
  } catch (error) {
    // Another process registered them between our list and add: that is the state we wanted.
    if ((error as { code?: number }).code !== grpcStatus.ALREADY_EXISTS) throw error;
  }
  return missing.map((key) => key.name);
}
