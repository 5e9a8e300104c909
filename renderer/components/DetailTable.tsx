// Name and value pairs, as a table so screen readers announce each value with its name.
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableRow from '@mui/material/TableRow';
import type { ReactNode } from 'react';

export function DetailTable({ rows, label }: { rows: [string, ReactNode][]; label?: string }) {
  return (
    <Table size="small" aria-label={label}>
      <TableBody>
        {rows.map(([name, value]) => (
          <TableRow key={name}>
            <TableCell
              component="th"
              scope="row"
              sx={{ width: 200, color: 'text.secondary', verticalAlign: 'top' }}
            >
              {name}
            </TableCell>
            <TableCell sx={{ wordBreak: 'break-word' }}>{value}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
