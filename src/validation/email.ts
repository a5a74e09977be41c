// The rules of Django's EmailValidator, so that addresses the original accepted are accepted here.
const USER_DOT_ATOM = /^[-!#$%&'*+/=?^_`{}|~0-9A-Z]+(\.[-!#$%&'*+/=?^_`{}|~0-9A-Z]+)*$/i;
// biome-ignore lint/suspicious/noControlCharactersInRegex: Django's quoted local part allows these control characters
const USER_QUOTED = /^"([\x01-\x08\x0b\x0c\x0e-\x1f!#-[\]-\x7f]|\\[\x01-\x09\x0b\x0c\x0e-\x7f])*"$/i;
const DOMAIN = /^((?:[A-Z0-9](?:[A-Z0-9-]{0,61}[A-Z0-9])?\.)+)(?:[A-Z0-9-]{2,63}(?<!-))$/i;
const LITERAL = /^\[([A-F0-9:.]+)\]$/i;
const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

export function isEmail(value: string): boolean {
  const at = value.lastIndexOf("@");
  if (at < 0) return false;
  const user = value.slice(0, at);
  const domain = value.slice(at + 1);
  if (!USER_DOT_ATOM.test(user) && !USER_QUOTED.test(user)) return false;
  return domain === "localhost" || isDomain(domain) || isDomain(toAscii(domain)) || isAddressLiteral(domain);
}

function isDomain(domain: string): boolean {
  return DOMAIN.test(domain);
}

// Internationalised domain names are checked in their punycode form, as Django does.
function toAscii(domain: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: any character beyond ASCII, from U+0000 on
  if (!/[^\x00-\x7f]/.test(domain) || /[\s/?#:@\\[\]%]/.test(domain)) return "";
  try {
    return new URL(`http://${domain}`).hostname;
  } catch {
    return "";
  }
}

function isAddressLiteral(domain: string): boolean {
  const ip = LITERAL.exec(domain)?.[1];
  if (ip === undefined) return false;
  if (IPV4.test(ip)) return true;
  try {
    return ip.includes(":") && new URL(`http://[${ip}]`).hostname !== "";
  } catch {
    return false;
  }
}
