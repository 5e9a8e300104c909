// Subject alternative names typed one per line (RFC 5280 §4.2.1.6). A line with a TYPE: prefix is
// kept; a bare value is read as an IP address, an e-mail address or a DNS name by its shape.

const PREFIXED = /^(DNS|IP|email|URI):.+$/;
const IPV4 = /^(\d{1,3}\.){3}\d{1,3}$/;
const IPV6 = /^[0-9a-fA-F:]+:[0-9a-fA-F:.]*$/;

export function parseSubjectAltNames(text: string): string[] {
  return text
    .split(/[\n,]/)
    .map((line) => line.trim())
    .filter(Boolean)
    .map((value) => {
      if (PREFIXED.test(value)) return value;
      if (IPV4.test(value) || IPV6.test(value)) return `IP:${value}`;
      if (value.includes('@')) return `email:${value}`;
      if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) return `URI:${value}`;
      return `DNS:${value}`;
    });
}
