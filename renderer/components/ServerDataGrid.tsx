// A list whose paging, sorting and filtering happen in the main process: only one page of rows
// crosses the bridge, and a new sort or filter goes back to the first page.
import Paper from '@mui/material/Paper';
import {
  DataGrid,
  type GridColDef,
  type GridFilterModel,
  type GridInitialState,
  type GridPaginationModel,
  type GridSortModel,
  type GridValidRowModel,
} from '@mui/x-data-grid';

export function ServerDataGrid<R extends GridValidRowModel>(props: {
  label: string;
  rows: R[];
  columns: GridColDef<R>[];
  loading: boolean;
  rowCount: number;
  pagination: GridPaginationModel;
  onPaginationChange: (model: GridPaginationModel) => void;
  sort: GridSortModel;
  onSortChange: (model: GridSortModel) => void;
  filter: GridFilterModel;
  onFilterChange: (model: GridFilterModel) => void;
  noRowsLabel: string;
  onOpen: (row: R) => void;
  initialState?: GridInitialState;
}) {
  const firstPage = () => props.onPaginationChange({ ...props.pagination, page: 0 });
  return (
    <Paper>
      <DataGrid
        aria-label={props.label}
        rows={props.rows}
        columns={props.columns}
        loading={props.loading}
        autoHeight
        disableRowSelectionOnClick
        showToolbar
        slotProps={{
          toolbar: {
            showQuickFilter: false,
            // An export of the grid would hold one page only; the Export page writes files.
            csvOptions: { disableToolbarButton: true },
            printOptions: { disableToolbarButton: true },
          },
        }}
        paginationMode="server"
        sortingMode="server"
        filterMode="server"
        rowCount={props.rowCount}
        paginationModel={props.pagination}
        onPaginationModelChange={props.onPaginationChange}
        sortModel={props.sort}
        onSortModelChange={(model) => {
          props.onSortChange(model);
          firstPage();
        }}
        filterModel={props.filter}
        onFilterModelChange={(model) => {
          props.onFilterChange(model);
          firstPage();
        }}
        {...(props.initialState ? { initialState: props.initialState } : {})}
        onRowDoubleClick={({ row }) => props.onOpen(row)}
        pageSizeOptions={[25, 50, 100, 250]}
        localeText={{ noRowsLabel: props.noRowsLabel }}
      />
    </Paper>
  );
}
