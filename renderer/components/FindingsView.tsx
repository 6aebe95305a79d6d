// The triage screen: filters on top, the finding table on the left, the selected finding's detail
// on the right.

import { FilterBar } from './FilterBar';
import { FindingTable } from './FindingTable';
import { DetailPane } from './DetailPane';
import { useTableView } from '../state/derived';

export function FindingsView() {
  const view = useTableView();
  return (
    <div className="findings-view">
      <FilterBar shown={view.filtered.length} hiddenBaselined={view.hiddenBaselined} />
      <div className="findings-split">
        <FindingTable rows={view.rows} />
        <DetailPane />
      </div>
    </div>
  );
}
