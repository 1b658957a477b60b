/**
 * `clbp views [<name>] [--sql]`: the project's SQL on FHIR v2 ViewDefinitions (views/*.json).
 * Without a name, a list; with a name, the ViewDefinition as JSON (to load into Pathling, a
 * BigQuery runner or any other SQL on FHIR engine); with --sql, the DuckDB SQL it compiles to
 * over a relation `resources(resource JSON)`. `--all` prints every view as one JSON array.
 */
import { parseArgs } from 'node:util';
import { PROJECT_VIEWS, projectView } from '../fhir/views/projectViews.ts';
import { VIEW_SQL_MACROS, compileViewSql } from '../fhir/views/viewSql.ts';
import type { CliIo } from './io.ts';

const USAGE = `usage: clbp views [<name>] [--sql] [--all]

The SQL on FHIR v2 ViewDefinitions clbp outcomes reads from a FHIR export.
  (no name)   list the views
  <name>      print that ViewDefinition (JSON)
  --sql       print the DuckDB SQL the view compiles to, over resources(resource JSON)
  --all       print every ViewDefinition as one JSON array
`;

export function run(argv: readonly string[], io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        sql: { type: 'boolean' },
        all: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    io.stderr(`clbp views: ${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
    return Promise.resolve(2);
  }
  const { values, positionals } = parsed;
  if (values.help === true) {
    io.stdout(USAGE);
    return Promise.resolve(0);
  }
  // A flag that would be ignored is refused: `--sql` alone printed the list, not SQL.
  if (values.all === true && (values.sql === true || positionals.length > 0)) {
    io.stderr(
      `clbp views: --all prints every ViewDefinition as JSON; give it no name and no --sql\n${USAGE}`,
    );
    return Promise.resolve(2);
  }
  if (values.sql === true && positionals.length === 0) {
    io.stderr(`clbp views: --sql needs a view name (clbp views <name> --sql)\n${USAGE}`);
    return Promise.resolve(2);
  }
  if (values.all === true) {
    io.stdout(`${JSON.stringify(PROJECT_VIEWS, null, 2)}\n`);
    return Promise.resolve(0);
  }
  const [name, extra] = positionals;
  if (extra !== undefined) {
    io.stderr(`clbp views: one view name at a time\n${USAGE}`);
    return Promise.resolve(2);
  }
  if (name === undefined) {
    const width = Math.max(...PROJECT_VIEWS.map((view) => view.name.length));
    const lines = PROJECT_VIEWS.map(
      (view) => `  ${view.name.padEnd(width)}  ${view.resource.padEnd(21)} ${view.title}`,
    );
    io.stdout(`SQL on FHIR v2 views (clbp views <name> prints one):\n${lines.join('\n')}\n`);
    return Promise.resolve(0);
  }
  const view = projectView(name);
  if (view === undefined) {
    io.stderr(
      `clbp views: no view '${name}' (one of ${PROJECT_VIEWS.map((v) => v.name).join(', ')})\n`,
    );
    return Promise.resolve(2);
  }
  if (values.sql === true) {
    io.stdout(`${VIEW_SQL_MACROS};\n\n${compileViewSql(view, 'resources').sql};\n`);
    return Promise.resolve(0);
  }
  io.stdout(`${JSON.stringify(view, null, 2)}\n`);
  return Promise.resolve(0);
}
