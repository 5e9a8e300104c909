import { initialSchema } from './001-initial';
import { auditSubjectIndex } from './002-audit-subject-index';
import { importedCrlsSchema } from './010-imported-crls';
import { trustedCertificates } from './011-trusted-certificates';
import { lifecycleSchema } from './030-lifecycle';
import { caListIndex } from './031-ca-list-index';
import { pkcs11Schema } from './020-pkcs11';
import type { Migration } from './types';

// Version ranges keep parallel work apart: 1–9 foundation, 10–19 formats and import,
// 20–29 PKCS#11, 30–39 renewal, revocation and CRLs, 40–49 cloud KMS and distribution.
export const MIGRATIONS: readonly Migration[] = [
  initialSchema,
  auditSubjectIndex,
  importedCrlsSchema,
  trustedCertificates,
  lifecycleSchema,
  caListIndex,
  pkcs11Schema,
];
