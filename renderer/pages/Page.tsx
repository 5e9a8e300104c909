// Picks the page for the current route.
import type { Route } from '../navigation/routes';
import { AuditView } from './AuditView';
import { CertificateInspector } from './CertificateInspector';
import { CertificatesList } from './CertificatesList';
import { RootCeremony } from './ceremony/RootCeremony';
import { Dashboard } from './Dashboard';
import { ExportWizard } from './ExportWizard';
import { ImportWizard } from './formats/ImportWizard';
import { InspectorPage } from './formats/InspectorPage';
import { BatchPage } from './issuance/BatchPage';
import { SignCsrPage } from './issuance/SignCsrPage';
import { TemplatesPage } from './issuance/TemplatesPage';
import { ValidatePage } from './formats/ValidatePage';
import { IssueEndEntity } from './issue/IssueEndEntity';
import { IssueSubordinate } from './issue/IssueSubordinate';
import { KeyDetail } from './KeyDetail';
import { KeysList } from './KeysList';
import { CrlsPage } from './lifecycle/CrlsPage';
import { RotationPage } from './lifecycle/RotationPage';
import { GenerateKey } from './keys/GenerateKey';
import { VaultSettings } from './settings/VaultSettings';
import { TokensPage } from './tokens/TokensPage';

export function Page({ route }: { route: Route }) {
  switch (route.page) {
    case 'dashboard':
      return <Dashboard />;
    case 'keys':
      return <KeysList state={route.state} pastCryptoperiod={route.pastCryptoperiod} />;
    case 'key':
      return <KeyDetail key={route.id} id={route.id} />;
    case 'certificates':
      return <CertificatesList route={route} />;
    case 'crls':
      return <CrlsPage issuer={route.issuer} />;
    case 'rotation':
      return <RotationPage />;
    case 'certificate':
      return <CertificateInspector key={route.id} id={route.id} />;
    case 'ceremony':
      return <RootCeremony />;
    case 'issue-subordinate':
      return <IssueSubordinate key={route.issuer ?? ''} issuer={route.issuer} />;
    case 'issue-end-entity':
      return <IssueEndEntity key={route.issuer ?? ''} issuer={route.issuer} />;
    case 'templates':
      return <TemplatesPage />;
    case 'sign-csr':
      return <SignCsrPage key={route.template ?? ''} template={route.template} />;
    case 'batch':
      return <BatchPage key={route.template ?? ''} template={route.template} />;
    case 'export':
      return <ExportWizard key={route.certificate ?? ''} certificate={route.certificate} />;
    case 'import':
      return <ImportWizard />;
    case 'inspect':
      return <InspectorPage key={route.certificate ?? ''} certificate={route.certificate} />;
    case 'validate':
      return <ValidatePage key={route.certificate ?? ''} certificate={route.certificate} />;
    case 'audit':
      return <AuditView />;
    case 'generate-key':
      return <GenerateKey />;
    case 'settings':
      return <VaultSettings />;
    case 'tokens':
      return <TokensPage />;
  }
}
