/** If-Match as a write sees it: any version (no header, or "*"), or one of these (none matches []). */
export type IfMatch = "*" | number[] | undefined;
