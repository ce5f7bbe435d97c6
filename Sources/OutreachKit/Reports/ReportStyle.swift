/// The district report's style sheet, inlined in the page: Times-like type as Vietnamese
/// administrative documents use, one column on a phone, A4 pages when printed.
///
/// On a phone (390 px) every table keeps its rate and status columns on screen: they come
/// right after the unit's name, which wraps, and the other figures scroll sideways if they
/// must. Printed, tables fit the A4 text width (cells wrap, no sideways scroll to clip) and
/// sections follow one another: no forced page break leaves a page half empty; a figure, a
/// card or a table row is never split.
enum ReportStyle {
    static let css = """

        :root { --ink: #111; --muted: #4b5563; --rule: #1f2937; --line: #9ca3af;
          --met: #1a7f37; --on-track: #1d5fa6; --behind: #c2410c; --no-data: #8a9099; --count: #475569; --target: #9f1239; }
        * { box-sizing: border-box; }
        html { -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }
        body { margin: 0; background: #eef0f3; color: var(--ink); font-size: 17px; line-height: 1.45;
          font-family: "Times New Roman", Times, "Liberation Serif", "Noto Serif", "DejaVu Serif", serif; }
        .page { max-width: 1000px; margin: 0 auto; background: #fff; padding: 36px 48px 48px; }
        p { margin: 0.4em 0; }
        .doc-head { display: grid; grid-template-columns: 5fr 7fr; gap: 16px; text-align: center; align-items: start; }
        .doc-head p { margin: 0; }
        .issuer-name { font-size: 15.5px; line-height: 1.35; }
        .issuer-name .strong { font-weight: bold; }
        .issuer-name::after { content: ""; display: block; width: 34%; margin: 4px auto 6px; border-top: 1px solid var(--rule); }
        .doc-number { font-size: 15.5px; }
        .nation-name { font-weight: bold; font-size: 15.5px; line-height: 1.35; }
        .motto span { display: inline-block; font-weight: bold; font-size: 16.5px; border-bottom: 1px solid var(--rule); padding-bottom: 2px; }
        .doc-head .place-date { font-style: italic; margin-top: 12px; }
        .doc-title { text-align: center; margin: 30px auto 22px; max-width: 46em; }
        .doc-title h1 { font-size: 21px; margin: 0; letter-spacing: 0.03em; }
        .doc-title .subject { font-weight: bold; font-size: 17.5px; margin: 4px 0; }
        .doc-title .as-of { font-style: italic; margin: 0; }
        .doc-title::after { content: ""; display: block; width: 120px; margin: 8px auto 0; border-top: 1px solid var(--rule); }
        .notice { border: 1px solid #d4a017; background: #fff8e1; padding: 6px 10px; font-size: 15px; border-radius: 4px; }
        h2 { font-size: 18px; margin: 30px 0 10px; text-transform: uppercase; }
        h3 { font-size: 16.5px; margin: 22px 0 8px; }
        .cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(220px, 1fr)); gap: 10px; margin: 12px 0 18px; }
        .card { border: 1px solid #d1d5db; border-left: 6px solid var(--count); border-radius: 4px; padding: 8px 12px; }
        .card.met { border-left-color: var(--met); }
        .card.on-track { border-left-color: var(--on-track); }
        .card.behind { border-left-color: var(--behind); }
        .card.no-data { border-left-color: var(--no-data); }
        .card.team { border-left-color: var(--count); }
        .card p { margin: 2px 0; }
        .card .big { font-size: 28px; font-weight: bold; line-height: 1.15; font-variant-numeric: tabular-nums; }
        .card .what { font-size: 15px; line-height: 1.3; }
        .card .detail { font-size: 14px; color: var(--muted); }
        .pill { display: inline-block; padding: 0 6px; border: 1px solid currentColor; border-radius: 3px;
          font-size: 0.92em; line-height: 1.35; white-space: nowrap; }
        .met .pill, .pill.met { color: var(--met); }
        .on-track .pill, .pill.on-track { color: var(--on-track); }
        .behind .pill, .pill.behind { color: var(--behind); }
        .no-data .pill, .pill.no-data { color: var(--no-data); }
        .table-wrap { overflow-x: auto; margin: 8px 0 16px; }
        table { border-collapse: collapse; width: 100%; font-size: 15px; line-height: 1.3; }
        th, td { border: 1px solid var(--line); padding: 4px 8px; text-align: left; vertical-align: top; white-space: nowrap; }
        .table-wrap.wrap td:first-child, .table-wrap.wrap-second td:nth-child(2) { white-space: normal; min-width: 11em; }
        th { background: #f3f4f6; font-weight: bold; }
        th.num, td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
        tr.total td { font-weight: bold; background: #f8fafc; }
        .bar-chart { margin: 6px 0 10px; }
        .bars { display: grid; grid-template-columns: fit-content(40%) minmax(0, 1fr) max-content;
          column-gap: 8px; row-gap: 3px; align-items: center; }
        .bar-row, .bar-axis { display: contents; }
        .bar-label { font-size: 15px; line-height: 1.2; }
        svg.bar { display: block; width: 100%; height: 18px; }
        .bar .track { fill: #f1f3f5; }
        .bar .grid { stroke: #d5d9df; stroke-width: 1; }
        .bar .target, .bar-chart .key .target { stroke: var(--target); stroke-width: 3; }
        .fill.met { fill: var(--met); }
        .fill.on-track { fill: var(--on-track); }
        .fill.behind { fill: var(--behind); }
        .fill.no-data { fill: var(--no-data); }
        .fill.count { fill: var(--count); }
        .bar-value { font-size: 14.5px; text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
        .bar-value.met { color: var(--met); }
        .bar-value.on-track { color: var(--on-track); }
        .bar-value.behind { color: var(--behind); }
        .bar-value.no-data { color: var(--no-data); }
        .ticks { position: relative; height: 1.35em; font-size: 12.5px; color: var(--muted); }
        .ticks span { position: absolute; bottom: 0; transform: translateX(-50%); white-space: nowrap; }
        .legend { display: flex; flex-wrap: wrap; gap: 4px 16px; margin-top: 8px; font-size: 14px; color: var(--muted); }
        .key { display: inline-flex; align-items: center; gap: 5px; }
        .key svg { width: 24px; height: 12px; flex: none; }
        .progress-grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(100%, 400px), 1fr)); gap: 8px 28px; }
        .line-chart { margin: 0 0 12px; }
        .line-chart h3 { min-height: 2.6em; }
        svg.chart { display: block; width: 100%; max-width: 640px; height: auto; }
        .chart text { font-family: inherit; font-size: 12px; fill: #374151; }
        .chart .ytick { text-anchor: end; }
        .chart .xtick { text-anchor: middle; }
        .chart .grid { stroke: #e5e7eb; stroke-width: 1; }
        .chart .axis, .chart .tick { stroke: #6b7280; stroke-width: 1; }
        .chart .target, .line-chart .key .target { stroke: var(--target); stroke-width: 1.4; stroke-dasharray: 6 4; }
        .chart .pace, .key .pace { stroke: #6b7280; stroke-width: 1.6; stroke-dasharray: 3 3; }
        .chart .actual, .key .actual { stroke: var(--on-track); stroke-width: 2.6; fill: none; stroke-linejoin: round; }
        .chart .actual-end { fill: var(--on-track); }
        .milestone { fill: #fff; stroke: var(--target); stroke-width: 1.5; }
        .chart .target-label { fill: var(--target); font-size: 11.5px; }
        .chart .end-label, .chart .target-label { paint-order: stroke; stroke: #fff; stroke-width: 3px; stroke-linejoin: round; }
        .chart .end-label { fill: var(--on-track); font-weight: bold; }
        .note { font-size: 15.5px; }
        p.note.behind { color: var(--behind); }
        .doc-foot { display: grid; grid-template-columns: 1fr 1fr; gap: 16px; margin-top: 40px; }
        .recipients p { margin: 0; font-size: 13.5px; }
        .recipients .label { font-weight: bold; font-style: italic; font-size: 14.5px; }
        .signer { text-align: center; }
        .signer p { margin: 0; }
        .signer .strong { font-weight: bold; }
        .signer .hint { font-style: italic; font-size: 14.5px; }
        .signer .sign-space { height: 5.5em; }
        .generated { margin-top: 72px; font-size: 12.5px; color: var(--muted); text-align: center; }
        @media (max-width: 640px) {
          body { font-size: 16px; background: #fff; }
          .page { padding: 16px 14px 28px; }
          .doc-head { grid-template-columns: 1fr; gap: 14px; }
          .doc-title { margin: 22px auto 16px; }
          .cards { grid-template-columns: 1fr 1fr; gap: 8px; }
          .card { padding: 6px 8px; border-left-width: 5px; }
          .card .big { font-size: 23px; }
          .card .what { font-size: 14px; }
          .bars { grid-template-columns: fit-content(36%) minmax(0, 1fr) max-content; column-gap: 6px; }
          .bar-label { font-size: 13.5px; }
          .bar-value { font-size: 13.5px; }
          table { font-size: 14px; }
          th, td { padding: 3px 5px; }
          .table-wrap.wrap td:first-child, .table-wrap.wrap-second td:nth-child(2) { min-width: 6.5em; }
          .table-wrap.wrap th:first-child, .table-wrap.wrap-second th:nth-child(2) { white-space: normal; }
          .pill { padding: 0 4px; }
          .line-chart h3 { min-height: 0; }
          .doc-foot { grid-template-columns: 1fr; }
        }
        @media print {
          @page { size: A4; margin: 20mm 15mm 18mm 25mm; }
          body { background: #fff; font-size: 13pt; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
          .page { max-width: none; width: 100%; padding: 0 1px 0 0; }
          .card, figure, tr, .doc-head, .doc-foot, .signer { break-inside: avoid; }
          figure.bar-chart { break-inside: auto; }
          .signer .sign-space { height: 22mm; }
          .generated { margin-top: 6mm; break-before: avoid; }
          .bar-label, .bar-value, svg.bar { break-inside: avoid; }
          h2, h3 { break-after: avoid; }
          .table-wrap { overflow: visible; }
          table { font-size: 10.5pt; width: 100%; }
          th, td { white-space: normal; padding: 2px 5px; }
          th.num, td.num, .pill { white-space: nowrap; }
          .table-wrap.wrap td:first-child, .table-wrap.wrap-second td:nth-child(2) { min-width: 0; }
          .progress-grid { grid-template-columns: 1fr 1fr; }
          svg.chart { max-width: none; }
        }

        """
}
