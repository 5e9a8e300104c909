// The raw ASN.1 structure of a certificate, CSR or CRL as an expandable tree: each element with
// its tag, offset and lengths, primitive values previewed. The top two levels start open.
import ChevronRightIcon from '@mui/icons-material/ChevronRight';
import ExpandMoreIcon from '@mui/icons-material/ExpandMore';
import Box from '@mui/material/Box';
import ButtonBase from '@mui/material/ButtonBase';
import Typography from '@mui/material/Typography';
import { useState } from 'react';
import type { Asn1NodeDto } from '../../../shared/bridge/formats-dto';
import { MONOSPACE } from '../../theme';

function describe(node: Asn1NodeDto): string {
  const length = node.indefinite ? 'indefinite length' : `length ${node.length}`;
  return `${node.tag} (offset ${node.offset}, ${length})`;
}

function Asn1TreeItem({ node, depth }: { node: Asn1NodeDto; depth: number }) {
  const [open, setOpen] = useState(depth < 2);
  const children = node.children ?? [];
  const expandable = children.length > 0;
  return (
    <Box
      component="li"
      sx={{ listStyle: 'none' }}
      role="treeitem"
      aria-expanded={expandable ? open : undefined}
      aria-label={describe(node)}
    >
      <Box sx={{ display: 'flex', alignItems: 'flex-start', gap: 0.5 }}>
        {expandable ? (
          <ButtonBase
            onClick={() => setOpen(!open)}
            aria-label={`${open ? 'Collapse' : 'Expand'} ${node.tag} at offset ${node.offset}`}
            sx={{ borderRadius: 1 }}
          >
            {open ? <ExpandMoreIcon fontSize="small" /> : <ChevronRightIcon fontSize="small" />}
          </ButtonBase>
        ) : (
          <Box sx={{ width: 20, flexShrink: 0 }} />
        )}
        <Typography
          variant="body2"
          sx={{ fontFamily: MONOSPACE, wordBreak: 'break-all' }}
          component="span"
        >
          <strong>{node.tag}</strong>{' '}
          <Box component="span" sx={{ color: 'text.secondary' }}>
            @{node.offset} hl={node.headerLength} l={node.indefinite ? 'inf' : node.length}
          </Box>
          {node.preview !== undefined && node.preview !== '' && <> : {node.preview}</>}
          {node.truncated && (
            <Box component="span" sx={{ color: 'warning.main' }}>
              {' '}
              ({node.truncated})
            </Box>
          )}
        </Typography>
      </Box>
      {expandable && open && (
        <Box component="ul" role="group" sx={{ pl: 2.5, m: 0 }}>
          {children.map((child, index) => (
            <Asn1TreeItem key={`${child.offset}-${index}`} node={child} depth={depth + 1} />
          ))}
        </Box>
      )}
    </Box>
  );
}

export function Asn1Tree({ root, label }: { root: Asn1NodeDto; label: string }) {
  return (
    <Box component="ul" role="tree" aria-label={label} sx={{ p: 0, m: 0 }}>
      <Asn1TreeItem node={root} depth={0} />
    </Box>
  );
}
