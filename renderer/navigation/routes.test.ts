import { describe, expect, it } from 'vitest';
import { parseRoute, routeHref, type Route } from './routes';

type Page = Route['page'];

/**
 * Sample routes for every page, with and without their optional parts. The mapped type makes this
 * file fail to compile when a page is added to Route without a sample here.
 */
const SAMPLES: { [P in Page]: Extract<Route, { page: P }>[] } = {
  dashboard: [{ page: 'dashboard' }],
  keys: [
    { page: 'keys' },
    { page: 'keys', state: 'pre-active' },
    { page: 'keys', state: 'active', pastCryptoperiod: true },
  ],
  key: [
    { page: 'key', id: 'key_3f2a' },
    { page: 'key', id: 'odd/id with spaces?&#' },
  ],
  certificates: [
    { page: 'certificates' },
    { page: 'certificates', expiringWithinDays: 30 },
    { page: 'certificates', kind: 'ca' },
    { page: 'certificates', expiringWithinDays: 90, kind: 'end-entity' },
    {
      page: 'certificates',
      status: 'revoked',
      issuer: 'cert_root',
      key: 'key_1',
      month: '2031-07',
    },
  ],
  crls: [{ page: 'crls' }, { page: 'crls', issuer: 'cert_root' }],
  rotation: [{ page: 'rotation' }],
  certificate: [{ page: 'certificate', id: 'cert_91c0' }],
  ceremony: [{ page: 'ceremony' }],
  'issue-subordinate': [
    { page: 'issue-subordinate' },
    { page: 'issue-subordinate', issuer: 'cert_root' },
  ],
  'issue-end-entity': [
    { page: 'issue-end-entity' },
    { page: 'issue-end-entity', issuer: 'cert_sub' },
  ],
  templates: [{ page: 'templates' }],
  'sign-csr': [{ page: 'sign-csr' }, { page: 'sign-csr', template: 'Device certs' }],
  batch: [{ page: 'batch' }, { page: 'batch', template: 'tpl_1&2' }],
  export: [{ page: 'export' }, { page: 'export', certificate: 'cert_leaf' }],
  import: [{ page: 'import' }],
  inspect: [{ page: 'inspect' }, { page: 'inspect', certificate: 'cert_leaf' }],
  validate: [{ page: 'validate' }, { page: 'validate', certificate: 'cert_leaf' }],
  tokens: [{ page: 'tokens' }],
  audit: [{ page: 'audit' }],
  'generate-key': [{ page: 'generate-key' }],
  settings: [{ page: 'settings' }],
};

const ALL_SAMPLES: Route[] = Object.values(SAMPLES).flat();

describe('routes in the URL hash', () => {
  it.each(ALL_SAMPLES.map((route) => [routeHref(route), route] as const))(
    'reads %s back as the route it was written from',
    (href, route) => {
      expect(href).toMatch(/^#\//);
      expect(parseRoute(href)).toEqual(route);
    },
  );

  it('writes the same href again after a round trip', () => {
    for (const route of ALL_SAMPLES) {
      const href = routeHref(route);
      expect(routeHref(parseRoute(href))).toBe(href);
    }
  });

  it('gives every page its own href', () => {
    const hrefs = (Object.keys(SAMPLES) as Page[]).map((page) => routeHref(SAMPLES[page][0]!));
    expect(new Set(hrefs).size).toBe(hrefs.length);
  });

  it('names the new pages generate-key and settings', () => {
    expect(routeHref({ page: 'generate-key' })).toBe('#/generate-key');
    expect(routeHref({ page: 'settings' })).toBe('#/settings');
    expect(parseRoute('#/settings')).toEqual({ page: 'settings' });
    expect(parseRoute('#generate-key')).toEqual({ page: 'generate-key' });
  });

  it('falls back to the dashboard for an empty or unknown hash', () => {
    expect(parseRoute('')).toEqual({ page: 'dashboard' });
    expect(parseRoute('#/')).toEqual({ page: 'dashboard' });
    expect(parseRoute('#/no-such-page')).toEqual({ page: 'dashboard' });
  });

  it('keeps an id with a slash in one path segment', () => {
    expect(routeHref({ page: 'key', id: 'a/b' })).toBe('#/keys/a%2Fb');
    expect(parseRoute('#/keys/a%2Fb')).toEqual({ page: 'key', id: 'a/b' });
  });

  it('ignores an expiry filter that is not a positive number', () => {
    for (const value of ['soon', '0', '-5', '']) {
      expect(parseRoute(`#/certificates?expiring=${value}`)).toEqual({
        page: 'certificates',
        expiringWithinDays: undefined,
        kind: undefined,
      });
    }
  });

  it('leaves empty optional values out of the href', () => {
    expect(routeHref({ page: 'keys', state: '' })).toBe('#/keys');
    expect(routeHref({ page: 'export', certificate: undefined })).toBe('#/export');
  });
});
