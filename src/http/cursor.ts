// Opaque cursors: UTF-8 text in base64url, so a client stores and sends them back as they are.

export function encodeCursor(text: string): string {
  const binary = String.fromCharCode(...new TextEncoder().encode(text));
  return btoa(binary).replaceAll("+", "-").replaceAll("/", "_").replaceAll("=", "");
}

const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });

/** The text of a cursor, or undefined if it is not one. */
export function decodeCursor(cursor: string): string | undefined {
  try {
    const binary = atob(cursor.replaceAll("-", "+").replaceAll("_", "/"));
    return utf8.decode(Uint8Array.from(binary, (char) => char.charCodeAt(0)));
  } catch {
    return undefined;
  }
}

/** A cursor that names one id; the prefix tells one kind of cursor from another. */
export function idCursor(prefix: string) {
  const pattern = new RegExp(`^${prefix}(\\d{1,15})$`);
  return {
    encode: (id: number) => encodeCursor(`${prefix}${id}`),
    /** The id, or undefined if the text is not a cursor of this kind. */
    decode(cursor: string): number | undefined {
      const id = pattern.exec(decodeCursor(cursor) ?? "")?.[1];
      return id === undefined ? undefined : Number(id);
    },
  };
}
