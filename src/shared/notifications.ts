// What a notification means to every part that handles one: whom it is for, which template renders it and where the
// reporter's feedback link goes. Workflows write these, the template library and the notify activity read them,
// the case store keeps them; defined once here so none of those imports another for it.

/** Whom a notification is for: the reporter, the case's owner at its level, or someone kept informed. */
export type Audience = 'reporter' | 'assignee' | 'stakeholder';

/** Every template a notice can name: `<audience>/<event>`, one `<audience>/<event>.hbs` file each. */
export const TEMPLATE_NAMES = [
  'reporter/receipt',
  'reporter/resolution',
  'reporter/feedback-request',
  'reporter/status-update',
  'reporter/cancelled',
  'reporter/subscribed',
  'assignee/handoff',
  'assignee/breach-warning',
  'assignee/repeat',
  'assignee/unowned',
  'assignee/resolve-breach',
  'assignee/assigned',
  'assignee/task',
  'assignee/task-reminder',
  'assignee/review-requested',
  'assignee/review-reminder',
  'assignee/action-item',
  'assignee/action-item-reminder',
  'assignee/delivery-failed',
  'assignee/team-added',
  'assignee/reprioritised',
  'leadership/handoff',
  'stakeholder/status-update',
  'stakeholder/resolution',
  'stakeholder/cancelled',
  'stakeholder/upcoming-warning',
  'stakeholder/subscribed',
] as const;

export type TemplateName = (typeof TEMPLATE_NAMES)[number];

/**
 * Where a feedback request's text puts the reporter's signed link. The workflow writes it, the notify activity
 * replaces it (src/activities), so no secret enters workflow history.
 */
export const FEEDBACK_URL_PLACEHOLDER = '{{feedback_url}}';
