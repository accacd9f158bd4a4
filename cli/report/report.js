// The HTML report's lanes and state panel (inlined into every report by
// cli/render_html.cpp). It reads the traces from the JSON element #fsrace-data
// and inserts every text through textContent, never as markup.
(function () {
  'use strict';
  const SVG = 'http://www.w3.org/2000/svg';
  const data = JSON.parse(document.getElementById('fsrace-data').textContent);
  const panel = document.getElementById('state-panel');
  const LANE = 62, BOX = 50, BOXH = 16, TOP = 26, LINE = 14, CHAR = 7.23, SMALL = 6.63, MAX_CHANGE_LINES = 4;
  const COLOURS = [['#dbe8f7', '#4a78b0'], ['#dff0da', '#55894a'], ['#efe2f5', '#8a58a3'], ['#fde6d5', '#bd6128'],
                   ['#e4e7eb', '#5f6b7a'], ['#f8f0c8', '#9a7b10']];
  const views = [];  // one per trace: what is expanded, shared by both branches
  let picked = null;  // {view, branch, first, last}

  function svg(name, attrs, parent) {
    const node = document.createElementNS(SVG, name);
    for (const key in attrs) node.setAttribute(key, attrs[key]);
    if (parent) parent.appendChild(node);
    return node;
  }
  function tag(name, text, parent, cls) {
    const node = document.createElement(name);
    if (text !== undefined) node.textContent = text;
    if (cls) node.className = cls;
    if (parent) parent.appendChild(node);
    return node;
  }
  function clip(text, chars) { return text.length <= chars ? text : text.slice(0, Math.max(1, chars - 1)) + '…'; }
  function range(first, last) { return last > first ? (first + 1) + '–' + (last + 1) : String(first + 1); }

  // Net changes of steps first..last: field -> [before of the first change, after of the last].
  // Every value each field takes over steps [first, last] (the text's value
  // chains): a value set and set back inside a system call is shown.
  function valueChains(steps, first, last) {
    const chains = new Map();
    for (let i = first; i <= last; ++i)
      for (const c of steps[i].changes) {
        if (!chains.has(c.field)) chains.set(c.field, [c.before]);
        chains.get(c.field).push(c.after);
      }
    const out = [];
    for (const [field, values] of chains) out.push(field + ' ' + values.join('→'));
    return out;
  }

  // Greedy lines of at most `chars` characters, items joined by '; '.
  function wrap(items, chars) {
    const lines = [];
    let line = '';
    for (const item of items) {
      const next = line ? line + '; ' + item : item;
      if (next.length <= chars || !line) { line = next; continue; }
      lines.push(line);
      line = item;
    }
    if (line) lines.push(line);
    if (lines.length > MAX_CHANGE_LINES) return lines.slice(0, MAX_CHANGE_LINES - 1).concat(['… ' + (items.length) + ' fields in all']);
    return lines.map(l => clip(l, chars));
  }

  // The key under which a group's expansion is kept: groups of the shared
  // prefix are one in both branches.
  function groupKey(view, branch, g) {
    const decided = view.trace.decided_after;
    return decided !== null && g.first < decided ? 'g' + g.first : 'b' + branch + ':' + g.first;
  }

  // The rows of one branch, given what is expanded.
  function rowsOf(view, b) {
    const br = view.trace.branches[b], rows = [];
    const fold = br.window && br.window[0] > 0 ? br.window[0] : 0;  // steps before the window, folded into one row
    const folded = fold > 0 && !view.expanded.has('prefix');
    if (fold > 0) rows.push({kind: folded ? 'fold' : 'fold-open', first: 0, last: fold - 1, key: 'prefix'});
    const decided = view.trace.decided_after;
    for (const g of br.groups) {
      if (folded && g.last < fold) continue;
      if (decided !== null && g.first === decided) rows.push({kind: 'decision', first: decided, last: decided - 1});
      const key = groupKey(view, b, g);
      const many = g.last > g.first;
      if (many && view.expanded.has(key)) {
        rows.push({kind: 'head', first: g.first, last: g.last, actor: g.actor, key: key});
        for (let i = g.first; i <= g.last; ++i) rows.push({kind: 'step', first: i, last: i, actor: g.actor, depth: 1});
      } else {
        rows.push({kind: many ? 'group' : 'step', first: g.first, last: g.last, actor: g.actor, key: many ? key : null, depth: 0});
      }
    }
    return rows;
  }

  function labelOf(steps, row) {
    const s = steps[row.first];
    const n = row.last - row.first + 1;
    switch (row.kind) {
      case 'fold': return ['steps ' + range(row.first, row.last) + ' before the deciding window', ''];
      case 'fold-open': return ['steps ' + range(row.first, row.last) + ' before the deciding window', ''];
      case 'head': return [s.context, n + ' steps'];
      case 'group': return [s.context, n + ' steps'];
    }
    if (row.depth) return [s.action, s.kernel];
    return [s.context ? s.context + ': ' + s.action : s.action, s.kernel];
  }

  // Shared-state dependencies: a step that reads a field, from the last
  // earlier step of another actor that changed it.
  function readsOf(steps, i) {
    const out = [];
    for (const field of steps[i].reads || []) {
      for (let j = i - 1; j >= 0; --j) {
        if (steps[j].actor === steps[i].actor) continue;
        if (!steps[j].changes.some(c => c.field === field)) continue;
        out.push({field: field, from: j});
        break;
      }
    }
    return out;
  }

  function drawBranch(view, b, host) {
    const trace = view.trace, br = trace.branches[b], steps = br.steps;
    const width = Math.max(460, host.clientWidth || 560);
    const lanesWidth = trace.actors.length * LANE, labelX = lanesWidth + 14;
    const labelChars = Math.floor((width - labelX - 4) / CHAR), changeChars = Math.floor((width - labelX - 4) / SMALL);
    const rows = rowsOf(view, b);
    let y = TOP;
    for (const row of rows) {
      row.changes = row.kind === 'step' || row.kind === 'group' ? wrap(valueChains(steps, row.first, row.last), changeChars) : [];
      row.y = y;
      row.h = row.kind === 'decision' ? 18 : 20 + LINE * row.changes.length + (row.changes.length ? 3 : 0);
      y += row.h;
    }
    const height = y + 8;
    const root = svg('svg', {class: 'lanes', 'data-branch': b, width: width, height: height, viewBox: '0 0 ' + width + ' ' + height});
    const defs = svg('defs', {}, root);
    const marker = svg('marker', {id: 'reads-' + trace.id + '-' + b, viewBox: '0 0 8 8', refX: 7, refY: 4, markerWidth: 7, markerHeight: 7,
                                  orient: 'auto'}, defs);
    svg('path', {d: 'M0,0 L8,4 L0,8 z', fill: 'var(--reads)'}, marker);
    const laneX = actor => (Math.max(0, trace.actors.indexOf(actor)) + 0.5) * LANE;

    if (br.window) {  // the band behind the rows that hold a step of the window
      const inside = rows.filter(r => r.last >= br.window[0] && r.first <= br.window[1]);
      if (inside.length) {
        const top = inside[0].y, bottom = inside[inside.length - 1].y + inside[inside.length - 1].h;
        svg('rect', {class: 'window', x: 0, y: top, width: width, height: bottom - top}, root);
        svg('rect', {class: 'window-edge', x: 0, y: top, width: 3, height: bottom - top}, root);
      }
    }
    trace.actors.forEach((actor, i) => {
      const lane = svg('g', {class: 'lane', 'data-actor': actor}, root);
      const colour = COLOURS[i % COLOURS.length];
      svg('line', {class: 'lane-line', x1: laneX(actor), x2: laneX(actor), y1: TOP - 4, y2: height}, lane);
      svg('text', {class: 'lane-name', x: laneX(actor), y: 14, fill: colour[1]}, lane).textContent = clip(actor, 9);
    });

    const rowOfStep = new Map();
    rows.forEach((row, r) => { for (let i = row.first; i <= row.last; ++i) if (!rowOfStep.has(i) || row.kind === 'step') rowOfStep.set(i, r); });
    for (const row of rows) {
      if (row.kind !== 'decision') drawRow(view, b, root, row, steps, laneX, width, labelX, labelChars);
      else drawDecision(trace, br, root, row, width, labelX);
    }
    drawReads(trace, b, root, rows, rowOfStep, steps, laneX);
    return root;
  }

  // The row between the shared prefix and the branch: a dashed line, where the race is decided.
  function drawDecision(trace, br, root, row, width, labelX) {
    const ly = row.y + row.h / 2;
    const words = 'decided after step ' + trace.decided_after + (br.window ? ' · window ' + range(br.window[0], br.window[1]) : '');
    svg('line', {class: 'decision', x1: 0, x2: labelX - 4, y1: ly, y2: ly}, root);
    svg('line', {class: 'decision', x1: labelX + words.length * SMALL + 8, x2: width, y1: ly, y2: ly}, root);
    svg('text', {class: 'decision-name', x: labelX + 2, y: ly + 4}, root).textContent = words;
  }

  function drawRow(view, b, root, row, steps, laneX, width, labelX, labelChars) {
    const g = svg('g', {class: 'row ' + row.kind, 'data-first': row.first, 'data-last': row.last}, root);
    if (picked && picked.view === view && picked.first === row.first && picked.last === row.last &&
        (picked.branch === b || (view.trace.decided_after !== null && row.last < view.trace.decided_after)))
      g.classList.add('picked');
    svg('rect', {class: 'hit', x: 0, y: row.y, width: width, height: row.h}, g);
    const [label, kernel] = labelOf(steps, row);
    const actors = view.trace.actors;
    if (row.kind === 'fold' || row.kind === 'fold-open') {
      svg('rect', {class: 'fold', x: 4, y: row.y + 2, width: actors.length * LANE - 8, height: BOXH, rx: 4}, g);
      svg('text', {class: 'box-text', x: actors.length * LANE / 2, y: row.y + 14}, g).textContent = range(row.first, row.last);
    } else {
      const colour = COLOURS[Math.max(0, actors.indexOf(row.actor)) % COLOURS.length];
      const x = laneX(row.actor);
      // A row with a step the outcome depends on: a thick border (the text's '*').
      const chain = view.trace.branches[b].chain || [];
      const onChain = chain.some(i => i >= row.first && i <= row.last);
      svg('rect', {class: 'box' + (onChain ? ' chain' : ''), x: x - BOX / 2, y: row.y + 2, width: BOX, height: BOXH, rx: 4,
                   fill: colour[0], stroke: colour[1]}, g);
      svg('text', {class: 'box-text', x: x, y: row.y + 14}, g).textContent = range(row.first, row.last);
    }
    const indent = row.depth ? 16 : 0;
    const foldable = row.key !== null && row.key !== undefined;
    if (foldable) {
      const open = row.kind === 'head' || row.kind === 'fold-open';
      const toggle = svg('text', {class: 'toggle', x: labelX, y: row.y + 14}, g);
      toggle.textContent = open ? '▾' : '▸';
      svg('title', {}, toggle).textContent = open ? 'collapse' : 'expand to each step';
    }
    const text = svg('text', {class: 'label', x: labelX + indent + (foldable ? 14 : 0), y: row.y + 14}, g);
    const room = labelChars - Math.ceil((indent + (foldable ? 14 : 0)) / CHAR);
    const main = clip(label, room);
    text.textContent = main;
    if (kernel && main.length + 2 < room) {
      const k = svg('tspan', {class: 'kernel'}, text);
      k.textContent = '  ' + clip(kernel, room - main.length - 2);
    }
    row.changes.forEach((line, i) => {
      svg('text', {class: 'changes', x: labelX + indent, y: row.y + 14 + LINE * (i + 1)}, g).textContent = line;
    });
    svg('title', {}, g).textContent = label + (kernel ? '\n' + kernel : '') + '\n' + valueChains(steps, row.first, row.last).join('\n');
    g.addEventListener('click', event => {
      if (foldable && (event.target.classList.contains('toggle') || row.kind === 'fold' || row.kind === 'fold-open')) {
        if (view.expanded.has(row.key)) view.expanded.delete(row.key); else view.expanded.add(row.key);
        drawTrace(view);
        return;
      }
      pick(view, b, row.first, row.last);
    });
  }

  // The dependencies the report draws (computed with the text's: the
  // chain's links across actors and the reads inside the deciding window).
  function drawReads(trace, b, root, rows, rowOfStep, steps, laneX) {
    const drawn = new Set();
    for (const read of trace.branches[b].arrows || []) {
      const i = read.to, step = steps[i];
      if (!rowOfStep.has(i) || !rowOfStep.has(read.from)) continue;
      const from = rows[rowOfStep.get(read.from)], to = rows[rowOfStep.get(i)];
      if (!from || from === to || drawn.has(from.first + ':' + to.first + ':' + read.field)) continue;
      drawn.add(from.first + ':' + to.first + ':' + read.field);
      const x1 = from.kind.startsWith('fold') ? laneX(steps[read.from].actor) : laneX(from.actor), y1 = from.y + 2 + BOXH;
      const x2 = laneX(step.actor) + (x1 < laneX(step.actor) ? -BOX / 2 : BOX / 2) * 0.6, y2 = to.y + 2;
      const bend = Math.min(40, Math.max(12, (y2 - y1) / 2));
      const path = svg('path', {class: 'reads', d: `M${x1},${y1} C${x1},${y1 + bend} ${x2},${y2 - bend} ${x2},${y2}`,
                                'marker-end': 'url(#reads-' + trace.id + '-' + b + ')'}, root);
      svg('title', {}, path).textContent = step.action + ' (step ' + (i + 1) + ') reads ' + read.field + ', set by ' +
          steps[read.from].action + ' (step ' + (read.from + 1) + ', ' + steps[read.from].actor + ')';
    }
  }

  function drawTrace(view) {
    view.section.querySelectorAll('.branch').forEach(branch => {
      const b = Number(branch.dataset.branch);
      const host = branch.querySelector('.lanes-host');
      host.replaceChildren(drawBranch(view, b, host));
    });
  }

  // The state after steps first..last of a branch, in the side panel.
  function pick(view, b, first, last) {
    picked = {view: view, branch: b, first: first, last: last};
    views.forEach(drawTrace);
    const br = view.trace.branches[b], steps = br.steps;
    const initial = new Map(), value = new Map();
    for (const s of steps) for (const c of s.changes) if (!initial.has(c.field)) initial.set(c.field, c.before);
    for (const [field, v] of initial) value.set(field, v);
    for (let i = 0; i <= last; ++i) for (const c of steps[i].changes) value.set(c.field, c.after);
    const changed = new Set();
    for (let i = first; i <= last; ++i) for (const c of steps[i].changes) changed.add(c.field);

    panel.replaceChildren();
    tag('h2', 'State after step ' + (last + 1), panel);
    const s = steps[first];
    const decided = view.trace.decided_after;
    const where = decided !== null && last < decided ? 'shared by both branches' : br.name;
    tag('p', 'counterexample ' + view.trace.id + ' · ' + where + ' · ' + s.actor, panel, 'note');
    tag('p', (s.context ? s.context + ': ' : '') + (first === last ? s.action : 'steps ' + range(first, last)), panel, 'mono');
    if (decided !== null && last === decided - 1) tag('p', 'This is the deciding state: both outcomes are reachable from here.', panel, 'note');
    tag('h3', first === last ? 'Kernel function' : 'Steps', panel);
    if (first === last) tag('p', s.kernel, panel, 'kernel');
    else {
      const list = tag('ol', undefined, panel);
      list.start = first + 1;
      for (let i = first; i <= last; ++i) {
        const item = tag('li', steps[i].action + ' ', list);
        tag('span', steps[i].kernel, item);
      }
    }
    const net = valueChains(steps, first, last);
    tag('h3', 'Changes', panel);
    if (!net.length) tag('p', 'none', panel, 'note');
    for (const line of net) tag('div', line, panel, 'mono');
    const reads = [];
    for (let i = first; i <= last; ++i) for (const r of readsOf(steps, i)) reads.push(r);
    if (reads.length) {
      tag('h3', 'Reads', panel);
      for (const r of reads) tag('div', r.field + ' ← step ' + (r.from + 1) + ' ' + steps[r.from].actor + ' ' + steps[r.from].action, panel, 'mono');
    }
    tag('h3', 'Every field this trace changes', panel);
    const table = tag('table', undefined, panel);
    for (const [field, v] of value) {
      const tr = tag('tr', undefined, table, changed.has(field) ? 'changed' : '');
      tag('td', field, tr);
      tag('td', v, tr);
    }
  }

  document.querySelectorAll('section.trace').forEach(section => {
    const trace = data.traces.find(t => String(t.id) === section.dataset.trace);
    if (!trace) return;
    const view = {trace: trace, section: section, expanded: new Set()};
    // Groups inside the deciding window start expanded, to each kernel step.
    trace.branches.forEach((br, b) => {
      if (!br.window) return;
      for (const g of br.groups)
        if (g.last > g.first && g.last >= br.window[0] && g.first <= br.window[1]) view.expanded.add(groupKey(view, b, g));
    });
    views.push(view);
  });
  views.forEach(drawTrace);
  const first = views[0];
  if (first && first.trace.decided_after) pick(first, 0, first.trace.decided_after - 1, first.trace.decided_after - 1);
  let pending = 0;
  window.addEventListener('resize', () => {
    clearTimeout(pending);
    pending = setTimeout(() => views.forEach(drawTrace), 150);
  });
  // A link to a counterexample (report.html#trace-1) lands on it once the lanes have their height.
  const target = location.hash ? document.getElementById(decodeURIComponent(location.hash.slice(1))) : null;
  if (target) target.scrollIntoView();
  document.documentElement.setAttribute('data-rendered', String(views.length));
})();
