/** The orderings a list offers; `-` for descending. The id breaks ties in each. */
export const ORDERINGS = ["id", "-id", "modified", "-modified", "customer_number", "-customer_number"] as const;
export type Ordering = (typeof ORDERINGS)[number];
