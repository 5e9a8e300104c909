// The window's pages as a typed union, kept in the URL hash so the back button and links work
// without a router dependency and without any server-side routes (the app:// protocol serves
// one index.html).

export type Route =
  | { page: 'dashboard' }
  | { page: 'keys'; state?: string; pastCryptoperiod?: boolean }
  | { page: 'key'; id: string }
  | {
      page: 'certificates';
      expiringWithinDays?: number;
      kind?: string;
      /** A list status of lifecycle:certificates-page: valid, expired, revoked, expiring, due. */
      status?: string;
      issuer?: string;
      key?: string;
      /** "YYYY-MM": the certificates that expire in that month (UTC). */
      month?: string;
    }
  | { page: 'crls'; issuer?: string }
  | { page: 'rotation' }
  | { page: 'certificate'; id: string }
  | { page: 'ceremony' }
  | { page: 'issue-subordinate'; issuer?: string }
  | { page: 'issue-end-entity'; issuer?: string }
  | { page: 'templates' }
  | { page: 'sign-csr'; template?: string }
  | { page: 'batch'; template?: string }
  | { page: 'export'; certificate?: string }
  | { page: 'import' }
  | { page: 'inspect'; certificate?: string }
  | { page: 'validate'; certificate?: string }
  | { page: 'audit' }
  | { page: 'generate-key' }
  | { page: 'settings' }
  | { page: 'tokens' };

export function parseRoute(hash: string): Route {
  const [path = '', query = ''] = hash.replace(/^#\/?/, '').split('?');
  const params = new URLSearchParams(query);
  const [head, id] = path.split('/').map(decodeURIComponent);
  const optional = (name: string): string | undefined => params.get(name) ?? undefined;

  switch (head) {
    case 'keys':
      return id
        ? { page: 'key', id }
        : {
            page: 'keys',
            state: optional('state'),
            pastCryptoperiod: params.get('past') === '1' || undefined,
          };
    case 'certificates': {
      if (id) return { page: 'certificate', id };
      const days = Number(params.get('expiring'));
      return {
        page: 'certificates',
        expiringWithinDays: Number.isFinite(days) && days > 0 ? days : undefined,
        kind: optional('kind'),
        status: optional('status'),
        issuer: optional('issuer'),
        key: optional('key'),
        month: optional('month'),
      };
    }
    case 'crls':
      return { page: 'crls', issuer: optional('issuer') };
    case 'rotation':
      return { page: 'rotation' };
    case 'ceremony':
      return { page: 'ceremony' };
    case 'issue-subordinate':
      return { page: 'issue-subordinate', issuer: optional('issuer') };
    case 'issue-end-entity':
      return { page: 'issue-end-entity', issuer: optional('issuer') };
    case 'templates':
      return { page: 'templates' };
    case 'sign-csr':
      return { page: 'sign-csr', template: optional('template') };
    case 'batch':
      return { page: 'batch', template: optional('template') };
    case 'export':
      return { page: 'export', certificate: optional('certificate') };
    case 'import':
      return { page: 'import' };
    case 'inspect':
      return { page: 'inspect', certificate: optional('certificate') };
    case 'validate':
      return { page: 'validate', certificate: optional('certificate') };
    case 'audit':
      return { page: 'audit' };
    case 'generate-key':
      return { page: 'generate-key' };
    case 'settings':
      return { page: 'settings' };
    case 'tokens':
      return { page: 'tokens' };
    default:
      return { page: 'dashboard' };
  }
}

export function routeHref(route: Route): string {
  const query = (entries: Record<string, string | number | undefined>): string => {
    const params = new URLSearchParams();
    for (const [name, value] of Object.entries(entries)) {
      if (value !== undefined && value !== '') params.set(name, String(value));
    }
    const text = params.toString();
    return text ? `?${text}` : '';
  };

  switch (route.page) {
    case 'dashboard':
      return '#/dashboard';
    case 'keys':
      return `#/keys${query({ state: route.state, past: route.pastCryptoperiod ? 1 : undefined })}`;
    case 'key':
      return `#/keys/${encodeURIComponent(route.id)}`;
    case 'certificates':
      return `#/certificates${query({
        expiring: route.expiringWithinDays,
        kind: route.kind,
        status: route.status,
        issuer: route.issuer,
        key: route.key,
        month: route.month,
      })}`;
    case 'crls':
      return `#/crls${query({ issuer: route.issuer })}`;
    case 'rotation':
      return '#/rotation';
    case 'certificate':
      return `#/certificates/${encodeURIComponent(route.id)}`;
    case 'ceremony':
      return '#/ceremony';
    case 'issue-subordinate':
      return `#/issue-subordinate${query({ issuer: route.issuer })}`;
    case 'issue-end-entity':
      return `#/issue-end-entity${query({ issuer: route.issuer })}`;
    case 'templates':
      return '#/templates';
    case 'sign-csr':
      return `#/sign-csr${query({ template: route.template })}`;
    case 'batch':
      return `#/batch${query({ template: route.template })}`;
    case 'export':
      return `#/export${query({ certificate: route.certificate })}`;
    case 'import':
      return '#/import';
    case 'inspect':
      return `#/inspect${query({ certificate: route.certificate })}`;
    case 'validate':
      return `#/validate${query({ certificate: route.certificate })}`;
    case 'audit':
      return '#/audit';
    case 'generate-key':
      return '#/generate-key';
    case 'settings':
      return '#/settings';
    case 'tokens':
      return '#/tokens';
  }
}
