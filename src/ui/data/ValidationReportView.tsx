// The validation report: counts, a table of every issue with file and row, and a CSV
// download. Messages quote user data, so they are rendered as text only. A long report
// (a large import can have thousands of issues) is shown a page at a time, so the page
// never renders more than one page of rows; the download always has all of them.
import { useEffect, useMemo, useState } from 'react';
import { countIssues, reportToCsv } from '../../state/for-ui.ts';
import type { ValidationReport } from '../../data/types.ts';
import { ShownText } from './ShownText.tsx';

/** Rows of the table shown at a time. */
const REPORT_PAGE_ROWS = 100;

/** Report table with a severity filter, pages of REPORT_PAGE_ROWS rows and "Download CSV". */
export function ValidationReportView({ report, name }: { report: ValidationReport; name: string }) {
  const [filter, setFilter] = useState<'all' | 'error' | 'warning'>('all');
  const [page, setPage] = useState(0);
  const { errors, warnings } = useMemo(() => countIssues(report), [report]);
  const filtered = useMemo(() => (filter === 'all' ? report.issues : report.issues.filter((i) => i.severity === filter)), [report, filter]);
  useEffect(() => setPage(0), [report, filter]);
  const pages = Math.max(1, Math.ceil(filtered.length / REPORT_PAGE_ROWS));
  const first = Math.min(page, pages - 1) * REPORT_PAGE_ROWS;
  const shown = filtered.slice(first, first + REPORT_PAGE_ROWS);
  const download = () => {
    const url = URL.createObjectURL(new Blob([reportToCsv(report)], { type: 'text/csv;charset=utf-8' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = `${name.replace(/[^\w.-]+/g, '_').replace(/\.[^.]*$/, '') || 'import'}-report.csv`;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  };
  return (
    <fieldset data-testid="validation-report">
      <legend>Validation report</legend>
      <div className="data-row">
        <span>
          Rows seen <b data-testid="rows-seen">{report.rowsSeen}</b>, kept <b data-testid="rows-kept">{report.rowsKept}</b>, skipped <b data-testid="rows-skipped">{report.rowsSkipped}</b>
        </span>
        <span>
          <b data-testid="issue-errors">{errors}</b> error{errors === 1 ? '' : 's'}, <b data-testid="issue-warnings">{warnings}</b> warning{warnings === 1 ? '' : 's'}
        </span>
        <select value={filter} onChange={(e) => setFilter(e.target.value as typeof filter)} aria-label="Show">
          <option value="all">all</option>
          <option value="error">errors (skipped)</option>
          <option value="warning">warnings (kept)</option>
        </select>
        <button type="button" onClick={download} data-testid="report-download">
          Download CSV
        </button>
      </div>
      {report.issues.length === 0 ? (
        <p className="data-note">No problems found.</p>
      ) : (
        <>
          {pages > 1 && (
            <div className="data-row" data-testid="report-pages">
              <button type="button" disabled={first === 0} onClick={() => setPage(first / REPORT_PAGE_ROWS - 1)} data-testid="report-prev" aria-label="previous page of the report">
                ◀
              </button>
              <span data-testid="report-range">
                {first + 1}–{first + shown.length} of {filtered.length}
              </span>
              <button type="button" disabled={first / REPORT_PAGE_ROWS >= pages - 1} onClick={() => setPage(first / REPORT_PAGE_ROWS + 1)} data-testid="report-next" aria-label="next page of the report">
                ▶
              </button>
            </div>
          )}
          <div className="report-scroll">
            <table className="report-table">
              <thead>
                <tr>
                  <th>severity</th>
                  <th>code</th>
                  <th>file</th>
                  <th>row</th>
                  <th>message</th>
                </tr>
              </thead>
              <tbody>
                {shown.map((i, k) => (
                  <tr key={first + k} className={i.severity} data-testid="report-row" data-code={i.code} data-file={i.file} data-row={i.row ?? ''}>
                    <td>{i.severity}</td>
                    <td>{i.code}</td>
                    <td>
                      <ShownText text={i.file} name />
                    </td>
                    <td>{i.row ?? ''}</td>
                    <td>
                      <ShownText text={i.message} name />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </fieldset>
  );
}
