// The sweep as a picture: one SVG file, readable at 800x500 in a browser or
// inlined in the HTML report. Nothing in it runs or is fetched; its bytes
// depend only on the document's numbers (docs keep one, compared with what
// the tool draws now).
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>
#include <string>
#include <vector>

#include "cli/output.hpp"
#include "cli/render_html.hpp"
#include "cli/sweep.hpp"

namespace fsrace::cli {
namespace {

using nlohmann::json;

constexpr double kWidth = 800, kLeft = 84, kRight = 776, kTop = 76, kBottom = 356;
constexpr double kLegendTop = 426, kLegendRow = 20;
// Colour-blind safe (Okabe and Ito), and a dash and marker shape per curve,
// so overlapping curves and a grey print still tell apart.
const char* const kColours[] = {"#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000"};
const char* const kDashes[] = {"", "7 4", "2 3", "9 3 2 3"};
constexpr std::size_t kShapes = 4;

std::string fixed(double v) { return numberText("%.1f", v); }

std::string general(double v) { return numberText("%g", v); }

// The y axis: linear from 0 to 1, or logarithmic from a power of ten below
// the smallest number above 0 up to 1.
struct YAxis {
  bool log = false;
  int floor_exponent = 0;  // log: the axis starts at 10^floor_exponent, a multiple of step
  int step = 1;            // log: decades between labels
  bool clamped = false;    // log: some value is 0, drawn at the floor

  double at(double p) const {
    double t = log ? (std::log10(std::max(p, std::pow(10.0, floor_exponent))) - floor_exponent) / -floor_exponent : p;
    return kBottom - std::clamp(t, 0.0, 1.0) * (kBottom - kTop);
  }
};

YAxis yAxisOf(const json& sweep, bool log_y) {
  YAxis axis;
  axis.log = log_y;
  if (!log_y) return axis;
  double smallest = 0.1;  // at least one decade
  for (const auto& c : sweep["curves"])
    if (!c["probabilities"].is_null())
      for (const auto& p : c["probabilities"]) {
        double v = p.get<double>();
        if (v > 0) smallest = std::min(smallest, v);
        else axis.clamped = true;
      }
  // Every figure is drawn where it is: on an acyclic chain, probability flows
  // forward as products, so 1e-80 is as exact as 0.5 (a double's exponent
  // goes to -308).
  int decades = -std::max(-300, static_cast<int>(std::floor(std::log10(smallest))));
  // About ten labels at most, a round number of decades apart, the floor one of them.
  for (int nice : {1, 2, 5, 10, 20, 50, 100})
    if ((axis.step = nice) * 10 >= decades) break;
  axis.floor_exponent = -((decades + axis.step - 1) / axis.step) * axis.step;
  return axis;
}

struct XAxis {
  double low, high;  // log10 of the ends
  double at(double multiplier) const { return kLeft + (std::log10(multiplier) - low) / (high - low) * (kRight - kLeft); }
};

std::string text(double x, double y, const std::string& content, const std::string& attributes = "") {
  return "<text x=\"" + fixed(x) + "\" y=\"" + fixed(y) + "\"" + (attributes.empty() ? "" : " " + attributes) + ">" +
         escapeHtml(content) + "</text>\n";
}

std::string line(double x1, double y1, double x2, double y2, const std::string& cls) {
  return "<line class=\"" + cls + "\" x1=\"" + fixed(x1) + "\" y1=\"" + fixed(y1) + "\" x2=\"" + fixed(x2) + "\" y2=\"" + fixed(y2) + "\"/>\n";
}

std::string yTickText(int exponent) {
  if (exponent >= -3) return general(std::pow(10.0, exponent));
  return "1e" + std::to_string(exponent);
}

void drawYAxis(std::ostringstream& out, const YAxis& y) {
  if (!y.log) {
    for (int i = 0; i <= 5; ++i) {
      double p = i / 5.0;
      out << line(kLeft, y.at(p), kRight, y.at(p), "sw-grid") << text(kLeft - 8, y.at(p) + 4, general(p), "class=\"sw-tick\" text-anchor=\"end\"");
    }
    return;
  }
  // A grid line at each decade while they are far enough apart to read.
  for (int e = 0; e >= y.floor_exponent; --e) {
    double p = std::pow(10.0, e);
    bool labelled = e % y.step == 0;
    if (labelled || y.floor_exponent >= -30) out << line(kLeft, y.at(p), kRight, y.at(p), "sw-grid");
    if (labelled) out << text(kLeft - 8, y.at(p) + 4, yTickText(e), "class=\"sw-tick\" text-anchor=\"end\"");
  }
}

// Decades inside the range, with grid lines; the ends too when fewer than
// two decades would be labelled; small ticks at 2..9 of each decade.
void drawXAxis(std::ostringstream& out, const XAxis& x, double from, double to) {
  std::vector<double> labelled;
  for (int e = static_cast<int>(std::ceil(x.low - 1e-9)); e <= static_cast<int>(std::floor(x.high + 1e-9)); ++e)
    labelled.push_back(std::pow(10.0, e));
  if (labelled.size() < 2) {
    labelled.insert(labelled.begin(), from);
    labelled.push_back(to);
  }
  for (double m : labelled)
    out << line(x.at(m), kTop, x.at(m), kBottom, "sw-grid")
        << text(x.at(m), kBottom + 18, general(m) + "x", "class=\"sw-tick\" text-anchor=\"middle\"");
  for (int e = static_cast<int>(std::floor(x.low)); e <= static_cast<int>(std::ceil(x.high)); ++e)
    for (int k = 2; k <= 9; ++k) {
      double m = k * std::pow(10.0, e);
      if (m > from && m < to) out << line(x.at(m), kBottom, x.at(m), kBottom + 4, "sw-minor");
    }
}

std::string marker(std::size_t shape, double x, double y, const std::string& colour) {
  std::string fill = " fill=\"" + colour + "\"";
  switch (shape % kShapes) {
    case 0: return "<circle class=\"sw-marker\" cx=\"" + fixed(x) + "\" cy=\"" + fixed(y) + "\" r=\"5\"" + fill + "/>";
    case 1: return "<rect class=\"sw-marker\" x=\"" + fixed(x - 3.5) + "\" y=\"" + fixed(y - 3.5) + "\" width=\"7\" height=\"7\"" + fill + "/>";
    case 2:
      return "<polygon class=\"sw-marker\" points=\"" + fixed(x) + "," + fixed(y - 4.5) + " " + fixed(x - 4.5) + "," + fixed(y + 3.5) + " " +
             fixed(x + 4.5) + "," + fixed(y + 3.5) + "\"" + fill + "/>";
    default:
      return "<polygon class=\"sw-marker\" points=\"" + fixed(x) + "," + fixed(y - 5) + " " + fixed(x + 5) + "," + fixed(y) + " " + fixed(x) +
             "," + fixed(y + 5) + " " + fixed(x - 5) + "," + fixed(y) + "\"" + fill + "/>";
  }
}

void drawCurve(std::ostringstream& out, const json& curve, std::size_t i, const XAxis& x, const YAxis& y, const json& multipliers) {
  const std::string colour = kColours[i % std::size(kColours)];
  const std::string dash = kDashes[i % std::size(kDashes)];
  // The first curve (the baseline) is drawn widest, under the others: where
  // a fix changes nothing, its curve lies on the baseline's, which still shows.
  out << "<g class=\"sw-curve\" data-name=\"" << escapeHtml(curve["name"].get<std::string>()) << "\">\n<polyline fill=\"none\" stroke=\"" << colour
      << "\" stroke-width=\"" << (i == 0 ? "5" : "2") << "\"" << (dash.empty() ? "" : " stroke-dasharray=\"" + dash + "\"") << " points=\"";
  for (std::size_t k = 0; k < multipliers.size(); ++k)
    out << (k ? " " : "") << fixed(x.at(multipliers[k].get<double>())) << "," << fixed(y.at(curve["probabilities"][k].get<double>()));
  out << "\"/>\n";
  for (std::size_t k = 0; k < multipliers.size(); ++k)
    out << marker(i, x.at(multipliers[k].get<double>()), y.at(curve["probabilities"][k].get<double>()), colour) << "\n";
  out << "</g>\n";
}

// Two entries a row under the plot; a curve without numbers says why.
void drawLegend(std::ostringstream& out, const json& sweep, const YAxis& y) {
  const json& curves = sweep["curves"];
  for (std::size_t i = 0; i < curves.size(); ++i) {
    double left = i % 2 == 0 ? kLeft : kLeft + (kRight - kLeft) / 2;
    double top = kLegendTop + static_cast<double>(i / 2) * kLegendRow;
    const std::string colour = kColours[i % std::size(kColours)];
    const std::string dash = kDashes[i % std::size(kDashes)];
    std::string name = curves[i]["name"];
    if (curves[i]["probabilities"].is_null()) {
      out << text(left, top + 4, name + ": no numbers (" + curves[i]["why"].get<std::string>() + ")", "class=\"sw-legend sw-missing\"");
      continue;
    }
    out << "<line x1=\"" << fixed(left) << "\" y1=\"" << fixed(top) << "\" x2=\"" << fixed(left + 28) << "\" y2=\"" << fixed(top)
        << "\" stroke=\"" << colour << "\" stroke-width=\"" << (i == 0 ? "5" : "2") << "\"" << (dash.empty() ? "" : " stroke-dasharray=\"" + dash + "\"") << "/>"
        << marker(i, left + 14, top, colour) << "\n"
        << text(left + 36, top + 4, name == "baseline" ? "baseline (the spec as given)" : "fix " + name, "class=\"sw-legend\"");
  }
  auto row = static_cast<double>((curves.size() + 1) / 2);
  auto note = [&](const std::string& content) {
    out << text(kLeft, kLegendTop + row * kLegendRow + 4, content, "class=\"sw-note\"");
    row += 1;
  };
  if (y.clamped) note("A probability of 0 is drawn at " + yTickText(y.floor_exponent) + ": a log axis has no 0.");
  for (const auto& s : sweep["skipped"]) note("skipped " + s["name"].get<std::string>() + ": the model refuses it with these parameters");
}

double heightOf(const json& sweep, const YAxis& y) {
  double rows = static_cast<double>((sweep["curves"].size() + 1) / 2 + (y.clamped ? 1 : 0) + sweep["skipped"].size());
  return std::max(500.0, kLegendTop + rows * kLegendRow + 10);
}

}  // namespace

std::string renderSweepSvg(const json& sweep, bool log_y) {
  const json& multipliers = sweep["multipliers"];
  double from = multipliers.front().get<double>(), to = multipliers.back().get<double>();
  XAxis x{std::log10(from), std::log10(to)};
  YAxis y = yAxisOf(sweep, log_y);
  double height = heightOf(sweep, y);
  const std::string key = sweep["key"], label = sweep["measure"]["label"];
  const json& scheduler = sweep["scheduler"];
  std::string title = sweep["spec"].get<std::string>() + ": " + label + " as the rate of " + key + " varies";
  std::string base = scheduler["rates"].contains(key) ? general(scheduler["rates"][key].get<double>()) : "1";
  std::string subtitle = "scheduler " + scheduler["name"].get<std::string>() + " (" + scheduler["description"].get<std::string>() +
                         "); 1x: " + key + "'s rate in that scheduler, " + base;
  std::ostringstream out;
  out << "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"sweep\" width=\"" << fixed(kWidth) << "\" height=\"" << fixed(height)
      << "\" viewBox=\"0 0 " << fixed(kWidth) << " " << fixed(height) << "\" font-family=\"DejaVu Sans, Arial, sans-serif\">\n"
      << "<title>" << escapeHtml(title) << "</title>\n"
      << "<style>svg.sweep .sw-grid{stroke:#e3e6eb;stroke-width:1} svg.sweep .sw-minor{stroke:#9aa1ab;stroke-width:1} "
         "svg.sweep .sw-tick{font-size:12px;fill:#39404c} svg.sweep .sw-axis{stroke:#39404c;stroke-width:1.2;fill:none} "
         "svg.sweep .sw-legend{font-size:13px;fill:#1d2330} svg.sweep .sw-missing{fill:#a33} "
         "svg.sweep .sw-note{font-size:12px;fill:#5a6170;font-style:italic} "
         "svg.sweep .sw-now{stroke:#6b7280;stroke-width:1;stroke-dasharray:3 3}</style>\n"
      << "<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n"
      << text(kWidth / 2, 26, title, "text-anchor=\"middle\" font-size=\"16\" font-weight=\"bold\" fill=\"#1d2330\"")
      << text(kWidth / 2, 46, subtitle, "text-anchor=\"middle\" font-size=\"12\" fill=\"#39404c\"");
  drawYAxis(out, y);
  drawXAxis(out, x, from, to);
  if (from < 1 && 1 < to)
    out << line(x.at(1), kTop, x.at(1), kBottom, "sw-now") << text(x.at(1), kTop - 6, "1x: the scheduler as given", "class=\"sw-note\" text-anchor=\"middle\"");
  // The axis' range in the file, for a reader (and a test) to place a point.
  out << "<rect id=\"sweep-plot\" class=\"sw-axis\" data-y-scale=\"" << (y.log ? "log" : "linear") << "\" data-y-min=\""
      << (y.log ? "1e" + std::to_string(y.floor_exponent) : "0") << "\" x=\"" << fixed(kLeft) << "\" y=\"" << fixed(kTop) << "\" width=\"" << fixed(kRight - kLeft)
      << "\" height=\"" << fixed(kBottom - kTop) << "\"/>\n"
      << text(kLeft + (kRight - kLeft) / 2, kBottom + 40, "rate of " + key + ", times its rate in the scheduler (log scale)",
              "text-anchor=\"middle\" font-size=\"13\" fill=\"#1d2330\"")
      << text(20, kTop + (kBottom - kTop) / 2, label + (y.log ? " (log scale)" : ""),
              "text-anchor=\"middle\" font-size=\"13\" fill=\"#1d2330\" transform=\"rotate(-90 20 " + fixed(kTop + (kBottom - kTop) / 2) + ")\"");
  const json& curves = sweep["curves"];
  for (std::size_t i = 0; i < curves.size(); ++i)
    if (!curves[i]["probabilities"].is_null()) drawCurve(out, curves[i], i, x, y, multipliers);
  drawLegend(out, sweep, y);
  out << "</svg>\n";
  return out.str();
}

}  // namespace fsrace::cli
