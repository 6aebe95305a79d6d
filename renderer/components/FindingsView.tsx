// The triage screen: filters on top, the finding table on the left, the selected finding's detail
// on the right.

import { memo } from 'react';
import { FilterBar } from './FilterBar';
import { FindingTable } from './FindingTable';
import { DetailPane } from './DetailPane';
import { useTableView } from '../state/derived';

// the detail pane reads the selection from the store; a new filter or sort must not re-render it
const Detail = memo(DetailPane);

export function FindingsView() {
  const view = useTableView();
  return (
    <div className="findings-view">
      <FilterBar shown={view.shown} hiddenBaselined={view.hiddenBaselined} />
      <div className="findings-split">
        <FindingTable rows={view.rows} />
        <Detail />
      </div>
    </div>
  );
}
