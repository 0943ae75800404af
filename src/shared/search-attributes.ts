// Search attributes every escalation run carries, so operators can filter runs in the Temporal UI.
// No personal data goes in here: status, priority, category and level only.
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

export const EscalationStatus = defineSearchAttributeKey('EscalationStatus', SearchAttributeType.KEYWORD);
export const EscalationPriority = defineSearchAttributeKey('EscalationPriority', SearchAttributeType.KEYWORD);
export const EscalationLevel = defineSearchAttributeKey('EscalationLevel', SearchAttributeType.KEYWORD);
export const EscalationCategory = defineSearchAttributeKey('EscalationCategory', SearchAttributeType.KEYWORD);

export const ESCALATION_SEARCH_ATTRIBUTES = [
  EscalationStatus,
  EscalationPriority,
  EscalationLevel,
  EscalationCategory,
] as const;
