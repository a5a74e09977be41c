import * as z from "zod/mini";

/** Validation errors in DRF's shape: `{"<field>": ["<message>", ...]}`. */
export type FieldErrors = Record<string, string[]>;

/** DRF's field errors as a body: each failing field with its messages. */
export const fieldErrorsBody = z
  .record(
    z.string().register(z.globalRegistry, { maxLength: 100 }),
    z.array(z.string().register(z.globalRegistry, { maxLength: 1000 })).check(z.maxLength(8)),
  )
  .register(z.globalRegistry, {
    maxProperties: 64,
    description: 'DRF\'s shape: each failing field with its messages; errors about several fields under "non_field_errors".',
  });

/** The key for errors that concern several fields or the body as a whole. */
export const NON_FIELD_ERRORS = "non_field_errors";

export function toFieldErrors(issues: readonly z.core.$ZodIssue[]): FieldErrors {
  // No prototype: a body may name a field "__proto__".
  const errors: FieldErrors = Object.create(null);
  const add = (field: string, message: string) => {
    errors[field] = [...(errors[field] ?? []), message];
  };
  for (const issue of issues) {
    if (issue.code === "unrecognized_keys") for (const key of issue.keys) add(key, "Unknown field.");
    else add(issue.path.length ? String(issue.path[0]) : NON_FIELD_ERRORS, issue.message);
  }
  return errors;
}

/** Merges `more` into `errors`, keeping each field's messages in order. */
export function mergeFieldErrors(errors: FieldErrors, more: FieldErrors): FieldErrors {
  for (const [field, messages] of Object.entries(more)) errors[field] = [...(errors[field] ?? []), ...messages];
  return errors;
}
