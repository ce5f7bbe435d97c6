import Foundation

/// The charts of the district report, as markup that needs no script, font or file: a bar
/// chart whose labels are HTML (they wrap on a phone and never overlap) with one small SVG per
/// bar, and a line chart drawn in one SVG scaled by its view box.
enum ReportCharts {
    /// One bar: a unit's measure on the chart's scale.
    struct Bar {
        var label: String
        /// The measure in the scale's units (a share, or a count); nil for no data.
        var measure: Double?
        /// The text after the bar ("62,3%", "1.250", "—").
        var valueText: String
        /// A CSS class for the bar's colour (its status).
        var tone: String
        /// Where the unit's target lies on the scale, when it has one.
        var target: Double?
    }

    /// A horizontal bar chart: labels, bars against `scaleMax`, vertical grid lines at `ticks`,
    /// each unit's target as a dark mark across its bar.
    static func bars(_ bars: [Bar], scaleMax: Double, ticks: [(value: Double, label: String)], label: String,
                     into w: inout HTMLWriter) {
        let scale = scaleMax > 0 ? scaleMax : 1
        func x(_ v: Double) -> String { format(min(max(v, 0), scale) / scale * 1000) }
        w.open("div", ["class": "bars", "role": "img", "aria-label": label])
        w.newline()
        w.open("div", ["class": "bar-axis", "aria-hidden": "true"])
        w.element("span", [:], "")
        w.open("div", ["class": "ticks"])
        for tick in ticks {
            let position = format(tick.value / scale * 100)
            w.element("span", ["style": "left:\(position)%"], tick.label)
        }
        w.close("div")
        w.element("span", [:], "")
        w.close("div")
        w.newline()
        for bar in bars {
            w.open("div", ["class": "bar-row"])
            w.element("span", ["class": "bar-label"], bar.label)
            w.open("svg", ["class": "bar", "viewBox": "0 0 1000 20", "preserveAspectRatio": "none", "aria-hidden": "true"])
            w.void("rect", ["class": "track", "x": "0", "y": "3", "width": "1000", "height": "14"])
            for tick in ticks where tick.value > 0 {
                w.void("line", ["class": "grid", "x1": x(tick.value), "x2": x(tick.value), "y1": "0", "y2": "20",
                                "vector-effect": "non-scaling-stroke"])
            }
            if let measure = bar.measure, measure > 0 {
                w.void("rect", ["class": "fill " + bar.tone, "x": "0", "y": "3", "width": x(measure), "height": "14"])
            }
            if let target = bar.target {
                w.void("line", ["class": "target", "x1": x(target), "x2": x(target), "y1": "0", "y2": "20",
                                "vector-effect": "non-scaling-stroke"])
            }
            w.close("svg")
            w.element("span", ["class": "bar-value " + bar.tone], bar.valueText)
            w.close("div")
            w.newline()
        }
        w.close("div")
        w.newline()
    }

    /// A line chart over a period: the cumulative measure week by week, the straight pace from
    /// nothing at the start to the target at the end, the target as a dashed line and the
    /// milestones as diamonds.
    struct Line {
        var start: Day
        var end: Day
        /// Measures at the end of days (the first may be the day before the start: the baseline).
        var actual: [(day: Day, measure: Double)]
        var target: Double?
        var milestones: [(day: Day, measure: Double)]
        var yTicks: [(value: Double, label: String)]
        var yMax: Double
        /// Labels of the months (January first) and how to write a year.
        var monthNames: [String]
        var targetLabel: String?
        var endLabel: String?
        var label: String
    }

    static let width = 420.0, height = 236.0
    static let left = 46.0, right = 12.0, top = 12.0, bottom = 28.0

    static func line(_ chart: Line, into w: inout HTMLWriter) {
        let plotW = width - left - right, plotH = height - top - bottom
        let span = Double(chart.end.number - chart.start.number + 1)
        func x(_ day: Day) -> Double { left + Double(day.number - chart.start.number + 1) / span * plotW }
        func y(_ v: Double) -> Double { top + plotH - min(max(v, 0), chart.yMax) / chart.yMax * plotH }

        w.open("svg", ["class": "chart", "viewBox": "0 0 \(format(width)) \(format(height))", "role": "img",
                       "aria-label": chart.label])
        w.newline()
        // Horizontal grid and the y axis labels.
        for tick in chart.yTicks {
            let yy = format(y(tick.value))
            w.void("line", ["class": tick.value == 0 ? "axis" : "grid", "x1": format(left), "x2": format(width - right),
                            "y1": yy, "y2": yy])
            w.element("text", ["class": "ytick", "x": format(left - 6), "y": yy, "dy": "0.35em"], tick.label)
        }
        // Months (or years) along the bottom: a boundary mark, the name in the middle.
        for (boundary, labelDay, text) in timeTicks(chart) {
            let bx = format(x(boundary.adding(days: -1)))
            w.void("line", ["class": "tick", "x1": bx, "x2": bx, "y1": format(top + plotH), "y2": format(top + plotH + 5)])
            if let text {
                w.element("text", ["class": "xtick", "x": format(x(labelDay)), "y": format(height - 8)], text)
            }
        }
        if let target = chart.target {
            let ty = format(y(target))
            w.void("line", ["class": "target", "x1": format(left), "x2": format(width - right), "y1": ty, "y2": ty])
            if let label = chart.targetLabel {
                // Under the line at the left, where the lines start near zero: the axis never cuts it.
                w.element("text", ["class": "target-label", "x": format(left + 4), "y": format(y(target) + 13)], label)
            }
            // The pace: nothing at the start, the target on the last day.
            w.void("line", ["class": "pace", "x1": format(left), "y1": format(y(0)), "x2": format(width - right), "y2": ty])
        }
        for milestone in chart.milestones {
            let (mx, my) = (x(milestone.day), y(milestone.measure))
            w.void("path", ["class": "milestone",
                            "d": "M\(format(mx)) \(format(my - 5))L\(format(mx + 5)) \(format(my))L\(format(mx)) \(format(my + 5))L\(format(mx - 5)) \(format(my))Z"])
        }
        if let first = chart.actual.first {
            var d = "M\(format(x(first.day))) \(format(y(first.measure)))"
            for point in chart.actual.dropFirst() { d += "L\(format(x(point.day))) \(format(y(point.measure)))" }
            w.void("path", ["class": "actual", "d": d])
            let last = chart.actual.last!
            let (ex, ey) = (x(last.day), y(last.measure))
            w.void("circle", ["class": "actual-end", "cx": format(ex), "cy": format(ey), "r": "3.5"])
            if let label = chart.endLabel {
                // Right of the dot, where no line goes: below it when behind the pace (the pace
                // line is above), above it when ahead. Left of it only when the right is too
                // narrow. A white halo keeps it legible across a grid or dashed line.
                let pace = chart.target.map { $0 * Double(last.day.number - chart.start.number + 1) / span } ?? 0
                let above = last.measure >= pace ? ey - 8 > top + 10 : ey + 16 > top + plotH - 2
                let roomRight = ex + 6 + Double(label.count) * 6.8 <= width - 2
                w.element("text", ["class": "end-label", "x": format(roomRight ? ex + 5 : ex - 7),
                                   "y": format(above ? ey - 7 : ey + 15), "text-anchor": roomRight ? "start" : "end"], label)
            }
        }
        w.close("svg")
        w.newline()
    }

    /// Marks along the time axis: each month's first day with its name under the month's
    /// middle (every other month past a year; years past a year and a half). The first mark is
    /// the period's start.
    static func timeTicks(_ chart: Line) -> [(boundary: Day, labelDay: Day, text: String?)] {
        let (s, e) = (chart.start.components, chart.end.components)
        let months = (e.year - s.year) * 12 + e.month - s.month + 1
        var out: [(Day, Day, String?)] = []
        if months > 18 {
            for year in s.year...e.year {
                let from = max(Day(year: year, month: 1, day: 1)!, chart.start)
                let to = min(Day(year: year, month: 12, day: 31)!, chart.end)
                out.append((from, Day(number: (from.number + to.number) / 2), String(year)))
            }
            return out
        }
        var year = s.year, month = s.month
        for k in 0..<months {
            let from = max(Day(year: year, month: month, day: 1)!, chart.start)
            let to = min(Day(year: year, month: month, day: Day.daysIn(month: month, year: year))!, chart.end)
            let show = months <= 12 || k % 2 == 0
            let name = chart.monthNames.count == 12 ? chart.monthNames[month - 1] : String(month)
            out.append((from, Day(number: (from.number + to.number) / 2), show ? name : nil))
            month += 1
            if month > 12 { month = 1; year += 1 }
        }
        return out
    }

    /// Grid values from 0 to at least `maximum`: about four to six steps of 1, 2, 2.5 or 5
    /// times a power of ten (shares: of 5 %, 10 %, 20 % or 25 %).
    static func niceTicks(maximum: Double, share: Bool) -> [Double] {
        let top = max(maximum, share ? 0.1 : 1)
        let candidates: [Double]
        if share {
            candidates = [0.05, 0.1, 0.2, 0.25, 0.5, 1]
        } else {
            var c: [Double] = []
            var power = 1.0
            while power < top * 10 {
                c += [power, 2 * power, 2.5 * power, 5 * power]
                power *= 10
            }
            candidates = c
        }
        let step = candidates.first { top / $0 <= 5 } ?? candidates.last!
        let count = Int(saturating: (top / step).rounded(.up))
        return (0...count).map { Double($0) * step }
    }

    /// A coordinate with at most one decimal, `.` as separator.
    static func format(_ value: Double) -> String {
        let tenths = Int(saturating: (value * 10).rounded())
        let sign = tenths < 0 ? "-" : ""
        return tenths % 10 == 0 ? "\(tenths / 10)" : "\(sign)\(abs(tenths) / 10).\(abs(tenths) % 10)"
    }
}
