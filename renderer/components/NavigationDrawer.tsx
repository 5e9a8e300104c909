// The left navigation: one entry per area of work, in the order an officer meets them.
import AccountTreeIcon from '@mui/icons-material/AccountTree';
import AutorenewIcon from '@mui/icons-material/Autorenew';
import DashboardIcon from '@mui/icons-material/Dashboard';
import DescriptionIcon from '@mui/icons-material/Description';
import DrawIcon from '@mui/icons-material/Draw';
import DynamicFeedIcon from '@mui/icons-material/DynamicFeed';
import FactCheckIcon from '@mui/icons-material/FactCheck';
import FileDownloadIcon from '@mui/icons-material/FileDownload';
import GppBadIcon from '@mui/icons-material/GppBad';
import FileUploadIcon from '@mui/icons-material/FileUpload';
import FindInPageIcon from '@mui/icons-material/FindInPage';
import RuleIcon from '@mui/icons-material/Rule';
import KeyIcon from '@mui/icons-material/Key';
import MemoryIcon from '@mui/icons-material/Memory';
import NoteAddIcon from '@mui/icons-material/NoteAdd';
import SettingsIcon from '@mui/icons-material/Settings';
import VerifiedUserIcon from '@mui/icons-material/VerifiedUser';
import WorkspacePremiumIcon from '@mui/icons-material/WorkspacePremium';
import Box from '@mui/material/Box';
import Drawer from '@mui/material/Drawer';
import List from '@mui/material/List';
import ListItemButton from '@mui/material/ListItemButton';
import ListItemIcon from '@mui/material/ListItemIcon';
import ListItemText from '@mui/material/ListItemText';
import ListSubheader from '@mui/material/ListSubheader';
import Toolbar from '@mui/material/Toolbar';
import type { ReactNode } from 'react';
import { routeHref, type Route } from '../navigation/routes';

export const DRAWER_WIDTH = 248;

interface Entry {
  label: string;
  icon: ReactNode;
  route: Route;
  /** Pages that highlight this entry besides its own. */
  matches: Route['page'][];
}

const SECTIONS: { title: string; entries: Entry[] }[] = [
  {
    title: 'Overview',
    entries: [
      {
        label: 'Dashboard',
        icon: <DashboardIcon />,
        route: { page: 'dashboard' },
        matches: ['dashboard'],
      },
      {
        label: 'Keys',
        icon: <KeyIcon />,
        route: { page: 'keys' },
        matches: ['keys', 'key', 'generate-key'],
      },
      {
        label: 'Certificates',
        icon: <WorkspacePremiumIcon />,
        route: { page: 'certificates' },
        matches: ['certificates', 'certificate'],
      },
    ],
  },
  {
    title: 'Ceremonies and issuance',
    entries: [
      {
        label: 'Root CA ceremony',
        icon: <VerifiedUserIcon />,
        route: { page: 'ceremony' },
        matches: ['ceremony'],
      },
      {
        label: 'Subordinate CA',
        icon: <AccountTreeIcon />,
        route: { page: 'issue-subordinate' },
        matches: ['issue-subordinate'],
      },
      {
        label: 'End-entity certificate',
        icon: <NoteAddIcon />,
        route: { page: 'issue-end-entity' },
        matches: ['issue-end-entity'],
      },
      {
        label: 'Issuance templates',
        icon: <DescriptionIcon />,
        route: { page: 'templates' },
        matches: ['templates'],
      },
      {
        label: 'Sign a CSR with a template',
        icon: <DrawIcon />,
        route: { page: 'sign-csr' },
        matches: ['sign-csr'],
      },
      {
        label: 'Batch issuance',
        icon: <DynamicFeedIcon />,
        route: { page: 'batch' },
        matches: ['batch'],
      },
      {
        label: 'Export',
        icon: <FileDownloadIcon />,
        route: { page: 'export' },
        matches: ['export'],
      },
    ],
  },
  {
    title: 'Files and formats',
    entries: [
      {
        label: 'Import',
        icon: <FileUploadIcon />,
        route: { page: 'import' },
        matches: ['import'],
      },
      {
        label: 'Inspector',
        icon: <FindInPageIcon />,
        route: { page: 'inspect' },
        matches: ['inspect'],
      },
      {
        label: 'Validate',
        icon: <RuleIcon />,
        route: { page: 'validate' },
        matches: ['validate'],
      },
    ],
  },
  {
    title: 'Lifecycle',
    entries: [
      {
        label: 'Rotation',
        icon: <AutorenewIcon />,
        route: { page: 'rotation' },
        matches: ['rotation'],
      },
      { label: 'CRLs', icon: <GppBadIcon />, route: { page: 'crls' }, matches: ['crls'] },
    ],
  },
  {
    title: 'Accountability',
    entries: [
      {
        label: 'Audit trail',
        icon: <FactCheckIcon />,
        route: { page: 'audit' },
        matches: ['audit'],
      },
    ],
  },
  {
    title: 'Vault',
    entries: [
      {
        label: 'Tokens',
        icon: <MemoryIcon />,
        route: { page: 'tokens' },
        matches: ['tokens'],
      },
      {
        label: 'Vault settings',
        icon: <SettingsIcon />,
        route: { page: 'settings' },
        matches: ['settings'],
      },
    ],
  },
];

export function NavigationDrawer({ current }: { current: Route }) {
  return (
    <Drawer
      variant="permanent"
      component="nav"
      aria-label="Main navigation"
      sx={{
        width: DRAWER_WIDTH,
        flexShrink: 0,
        '& .MuiDrawer-paper': { width: DRAWER_WIDTH, boxSizing: 'border-box' },
      }}
    >
      <Toolbar />
      <Box sx={{ overflow: 'auto' }}>
        {SECTIONS.map((section) => (
          <List
            key={section.title}
            dense
            subheader={<ListSubheader>{section.title}</ListSubheader>}
          >
            {section.entries.map((entry) => {
              const selected = entry.matches.includes(current.page);
              return (
                <ListItemButton
                  key={entry.label}
                  component="a"
                  href={routeHref(entry.route)}
                  selected={selected}
                  aria-current={selected ? 'page' : undefined}
                >
                  <ListItemIcon sx={{ minWidth: 40 }}>{entry.icon}</ListItemIcon>
                  <ListItemText primary={entry.label} />
                </ListItemButton>
              );
            })}
          </List>
        ))}
      </Box>
    </Drawer>
  );
}
