#!/bin/sh
# One-shot (temporal-setup service): creates the namespace if missing and registers the search attributes
# every escalation run carries. Idempotent: existing namespace and attributes are left alone.
# The app registers the same attributes at start; the list below must equal ESCALATION_SEARCH_ATTRIBUTES in
# src/shared/search-attributes.ts (test/deploy/docker-compose.test.ts checks the register_search_attribute lines).
set -eu

: "${TEMPORAL_ADDRESS:=temporal:7233}"
: "${TEMPORAL_NAMESPACE:=default}"
: "${NAMESPACE_RETENTION:=7d}"
export TEMPORAL_ADDRESS TEMPORAL_NAMESPACE

echo "Waiting for Temporal at ${TEMPORAL_ADDRESS}..."
attempt=0
until temporal operator cluster health --address "$TEMPORAL_ADDRESS" >/dev/null 2>&1; do
  attempt=$((attempt + 1))
  if [ "$attempt" -ge 60 ]; then
    echo "Temporal did not become healthy at ${TEMPORAL_ADDRESS}" >&2
    exit 1
  fi
  sleep 2
done

if temporal operator namespace describe --address "$TEMPORAL_ADDRESS" --namespace "$TEMPORAL_NAMESPACE" >/dev/null 2>&1; then
  echo "Namespace ${TEMPORAL_NAMESPACE} exists"
else
  echo "Creating namespace ${TEMPORAL_NAMESPACE} (retention ${NAMESPACE_RETENTION})"
  temporal operator namespace create --address "$TEMPORAL_ADDRESS" --namespace "$TEMPORAL_NAMESPACE" \
    --retention "$NAMESPACE_RETENTION"
fi

# A new namespace is known to the frontend once its namespace cache refreshes (about 10 s): until then the search
# attribute calls below answer "Namespace default is not found".
attempt=0
until temporal operator search-attribute list --address "$TEMPORAL_ADDRESS" --namespace "$TEMPORAL_NAMESPACE" \
  >/dev/null 2>&1; do
  attempt=$((attempt + 1))
  if [ "$attempt" -ge 30 ]; then
    echo "Namespace ${TEMPORAL_NAMESPACE} did not become usable" >&2
    exit 1
  fi
  sleep 1
done

created=0
register_search_attribute() {
  name="$1"
  type="$2"
  if temporal operator search-attribute list --address "$TEMPORAL_ADDRESS" --namespace "$TEMPORAL_NAMESPACE" -o json \
    | grep -q "\"${name}\""; then
    echo "Search attribute ${name} exists"
    return 0
  fi
  if output=$(temporal operator search-attribute create --address "$TEMPORAL_ADDRESS" \
    --namespace "$TEMPORAL_NAMESPACE" --name "$name" --type "$type" 2>&1); then
    echo "Registered search attribute ${name} (${type})"
    created=1
  elif echo "$output" | grep -qi 'already exists'; then
    echo "Search attribute ${name} exists"
  else
    echo "$output" >&2
    return 1
  fi
}

register_search_attribute EscalationStatus Keyword
register_search_attribute EscalationPriority Keyword
register_search_attribute EscalationLevel Keyword
register_search_attribute EscalationCategory Keyword

if [ "$created" -eq 1 ]; then
  # Frontends pick up new attributes when their namespace cache refreshes; let that happen before the app starts.
  sleep 15
fi

echo "Temporal namespace ${TEMPORAL_NAMESPACE} is ready"
