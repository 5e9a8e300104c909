import { describe, expect, it } from 'vitest';
import type { IssuanceTemplateDto } from '../../../shared/bridge/issuance-dto';
import {
  attributesWithoutField,
  fieldsOf,
  NEW_TEMPLATE,
  saveRequest,
  templateProblem,
  subjectFieldsFrom,
  validityDays,
  validityText,
} from './templateText';

const TEMPLATE: IssuanceTemplateDto = {
  id: 'tpl_1',
  name: 'Devices',
  profile: 'tls-client',
  subjectDefaults: 'OU=Devices,O=Acme',
  sans: ['DNS:fleet.example.com', 'IP:192.0.2.1'],
  crlDistributionPoint: 'http://crl.example.com/root.crl',
  keyPolicy: 'reuse',
  keyAlgorithm: 'rsa-3072',
  validity: { years: 1 },
  csrPrecedence: { subject: 'template', subjectAltName: 'csr' },
  createdAt: '2025-01-01T00:00:00.000Z',
  updatedAt: '2025-01-01T00:00:00.000Z',
};

describe('template fields', () => {
  it('read a saved template back into the same save request', () => {
    const request = saveRequest(fieldsOf(TEMPLATE));
    expect(request).toEqual({
      name: 'Devices',
      profile: 'tls-client',
      subjectDefaults: 'OU=Devices,O=Acme',
      sans: ['DNS:fleet.example.com', 'IP:192.0.2.1'],
      crlDistributionPoint: 'http://crl.example.com/root.crl',
      keyAlgorithm: 'rsa-3072',
      keyPolicy: 'reuse',
      validity: { years: 1 },
      csrPrecedence: { subject: 'template', subjectAltName: 'csr' },
    });
  });

  it('leave empty optional fields out and read bare SANs by their shape', () => {
    const request = saveRequest({
      ...NEW_TEMPLATE,
      name: ' Web ',
      sans: 'www.example.com\n10.0.0.1',
    });
    expect(request).toEqual({
      name: 'Web',
      profile: 'tls-server',
      sans: ['DNS:www.example.com', 'IP:10.0.0.1'],
      keyAlgorithm: 'ec-p256',
      keyPolicy: 'regenerate',
      validity: { days: 90 },
      csrPrecedence: { subject: 'csr', subjectAltName: 'csr' },
    });
  });

  it('show a template of years and days as days', () => {
    const fields = fieldsOf({ ...TEMPLATE, validity: { years: 1, days: 10 } });
    expect([fields.validityAmount, fields.validityUnit]).toEqual(['375', 'days']);
  });

  it('say what is wrong before saving', () => {
    expect(templateProblem(NEW_TEMPLATE)).toMatch(/name/);
    expect(templateProblem({ ...NEW_TEMPLATE, name: 'x', validityAmount: '0' })).toMatch(
      /validity/,
    );
    expect(
      templateProblem({ ...NEW_TEMPLATE, name: 'x', crlDistributionPoint: 'crl.example.com' }),
    ).toMatch(/URL/);
    expect(templateProblem({ ...NEW_TEMPLATE, name: 'x' })).toBeUndefined();
  });

  it('write validity in words', () => {
    expect(validityText({ years: 1 })).toBe('1 year');
    expect(validityText({ days: 90 })).toBe('90 days');
    expect(validityText({ years: 2, days: 1 })).toBe('2 years 1 day');
  });
});

describe('prefilling the end-entity form from a template', () => {
  it('reads the subject defaults into the subject fields, escapes undone', () => {
    expect(subjectFieldsFrom('OU=Devices,O=Acme\\, Inc.,C=DE,ST=Bavaria')).toEqual({
      organizationalUnit: 'Devices',
      organization: 'Acme, Inc.',
      country: 'DE',
    });
    expect(subjectFieldsFrom(null)).toEqual({});
  });

  it('names the default attributes the form cannot carry', () => {
    expect(attributesWithoutField('OU=Devices,ST=Bavaria,O=Acme\\, Inc.')).toEqual(['ST=Bavaria']);
    expect(attributesWithoutField(null)).toEqual([]);
  });

  it('counts a year as 365 days', () => {
    expect(validityDays({ years: 1 })).toBe(365);
    expect(validityDays({ days: 120 })).toBe(120);
  });
});
