import * as z from "zod/mini";
import { FILTERS, type FilterName, ORDERINGS } from "../db/filters";
import { cursorParams, pageParams } from "../http/pagination";
import { queryChoice, queryDateTime, queryIds, queryInteger, queryString } from "../validation/query";

/** Each filter's query parameter, validated and described as its table entry says (src/db/filters.ts). */
const parser = {
  text: (input: { maxLength: number }) => queryString(input.maxLength),
  id: () => queryInteger(),
  ids: (input: { max: number }) => queryIds(input.max),
  datetime: () => queryDateTime(),
};
type Parsers = { [name in FilterName]: z.ZodMiniOptional<ReturnType<(typeof parser)[(typeof FILTERS)[name]["input"]["kind"]]>> };
const filterParams = Object.fromEntries(
  (Object.keys(FILTERS) as FilterName[]).map((name) => {
    const { input, description } = FILTERS[name];
    const schema = z.optional((parser[input.kind] as (input: object) => z.ZodMiniType)(input));
    return [name, schema.register(z.globalRegistry, { description })];
  }),
) as Parsers;

/** The query of the customer list: a page (by offset or in cursor mode), the filters, the ordering. */
export const listParams = z.object({
  ...pageParams,
  ...cursorParams,
  ...filterParams,
  orderby: z
    ._default(z.optional(queryChoice(ORDERINGS)), "id")
    .register(z.globalRegistry, { description: "The order; `-` for descending. Ties are broken by id." }),
});
