/**
 * Query parameters, validated as django-filter and DRF do and failing with their messages. A repeated
 * parameter counts with its last value, as Django's QueryDict.get does.
 */
import * as z from "zod/mini";

const lastOf = (value: unknown) => (Array.isArray(value) ? value.at(-1) : value);

export function queryInteger(min?: number, max?: number) {
  return z
    .pipe(
      z.transform((value: unknown, ctx) => {
        const text = lastOf(value);
        const number = typeof text === "string" && /^\s*[+-]?\d+\s*$/.test(text) ? Number(text) : NaN;
        if (Number.isSafeInteger(number)) return number;
        ctx.issues.push({ code: "custom", input: value, message: "A valid integer is required." });
        return z.NEVER;
      }),
      z
        .int()
        .check(
          ...(min === undefined ? [] : [z.gte(min, { error: `Ensure this value is greater than or equal to ${min}.` })]),
          ...(max === undefined ? [] : [z.lte(max, { error: `Ensure this value is less than or equal to ${max}.` })]),
        ),
    )
    .register(z.globalRegistry, { format: "int64" });
}

export const queryString = (maxLength: number) => z.pipe(z.transform(lastOf), z.string()).register(z.globalRegistry, { maxLength });

const DATE_TIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/** An ISO 8601 date-time (or date), compared in UTC: `modified__gte=2026-11-27T08:00:00Z`. */
export function queryDateTime() {
  return z
    .pipe(
      z.transform((value: unknown, ctx) => {
        const text = lastOf(value);
        const time = typeof text === "string" && DATE_TIME.test(text) ? Date.parse(text) : NaN;
        if (!Number.isNaN(time)) return new Date(time).toISOString();
        ctx.issues.push({ code: "custom", input: value, message: "Enter a valid date/time." });
        return z.NEVER;
      }),
      z.iso.datetime(),
    )
    .register(z.globalRegistry, { maxLength: 35 });
}

/**
 * django-filter's comma-separated "in" lookup of ids (`id__in=1,5,9`), 1 to `max` of them, each an
 * integer (DRF's IntegerField message); the list's size with DRF's ListField messages. Repeated ids
 * count once.
 */
export function queryIds(max: number) {
  return (
    z
      .pipe(
        z.transform((value: unknown, ctx) => {
          const text = lastOf(value);
          const items = typeof text === "string" && text.trim() !== "" ? text.split(",") : [];
          const ids = items.map((item) => (/^\s*[+]?\d+\s*$/.test(item) ? Number(item) : NaN));
          const problem = ids.some((id) => !Number.isSafeInteger(id))
            ? "A valid integer is required."
            : ids.length === 0
              ? "Ensure this field has at least 1 elements."
              : ids.length > max
                ? `Ensure this field has no more than ${max} elements.`
                : undefined;
          if (problem === undefined) return [...new Set(ids)];
          ctx.issues.push({ code: "custom", input: value, message: problem });
          return z.NEVER;
        }),
        z.custom<number[]>(),
      )
      // For the document: `max` ids of at most 16 digits (the safe integers), with their commas.
      .register(z.globalRegistry, { type: "string", pattern: `^\\d+(,\\d+){0,${max - 1}}$`, maxLength: max * 17 - 1, example: "1,5,9" })
  );
}

/** One of `choices`; a wrong one is refused with django-filter's message, followed by the choices. */
export function queryChoice<const T extends readonly string[]>(choices: T) {
  return z.pipe(
    z.transform(lastOf),
    z.enum(choices, {
      error: (issue) => `Select a valid choice. ${String(issue.input)} is not one of the available choices: ${choices.join(", ")}.`,
    }),
  );
}
