// Every channel's handler, one table: the router refuses to start if a channel has none.
import type { HandlerTable } from '../handler';
import { auditHandlers } from './audit';
import { ceremonyHandlers } from './ceremony';
import { certificateHandlers } from './certificates';
import { dashboardHandlers } from './dashboard';
import { exportHandlers } from './export';
import { formatsHandlers } from './formats';
import { issuanceTemplateHandlers } from './issuance-templates';
import { keyHandlers } from './keys';
import { lifecycleHandlers } from './lifecycle';
import { tokensHandlers } from './tokens';
import { vaultHandlers } from './vault';

export function createHandlers(): HandlerTable {
  return {
    ...vaultHandlers,
    ...dashboardHandlers,
    ...keyHandlers,
    ...certificateHandlers,
    ...exportHandlers,
    ...ceremonyHandlers,
    ...auditHandlers,
    ...formatsHandlers,
    ...tokensHandlers,
    ...lifecycleHandlers,
    ...issuanceTemplateHandlers,
  };
}
