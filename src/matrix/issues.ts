// What matrix validation reports: a problem and where it is. Its own module, so the schema, the cross-field rules,
// the warnings and the linter share it without importing one another.

/** Where a problem is, from the top of the document: map keys and list indexes. */
export type IssuePath = (string | number)[];
export interface PathIssue {
  path: IssuePath;
  message: string;
}
