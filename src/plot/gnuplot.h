#pragma once
// Figures are drawn by gnuplot (Debian's gnuplot-nox): a figure is a gnuplot script body with
// its data inline; it is rendered to PNG (pngcairo) and SVG side by side.
#include <string>
#include <vector>

namespace geneft {

// Okabe & Ito's colorblind-safe palette, by name and in order.
inline constexpr const char* kBlue = "#0072B2";
inline constexpr const char* kOrange = "#E69F00";
inline constexpr const char* kGreen = "#009E73";
inline constexpr const char* kVermillion = "#D55E00";
inline constexpr const char* kPurple = "#CC79A7";
inline const std::vector<std::string> kColorblindSafe = {kBlue, kOrange, kGreen, kVermillion,
                                                         kPurple, "#56B4E9", "#F0E442", "#000000"};

struct FigureSize {
  int width = 900, height = 700;
};

// Writes `<out_dir>/<name>.png` and `.svg` (and `<name>.gp`, the script, for users who want to
// restyle it), name made safe by safe_file_name. Returns the PNG path. UserError if gnuplot is
// missing or fails. gnuplot is started without a shell.
std::string render_figure(const std::string& out_dir, const std::string& name, const std::string& body,
                          FigureSize size = {});

// A figure drawn from a text table (blocks separated by two blank lines, for `index`), named
// DATAFILE in `commands`: writes PREFIX.png, PREFIX.svg and PREFIX.gp (the folder of PREFIX is the
// user's; its file name is made safe).
std::string render_data_figure(const std::string& prefix, const std::string& data, const std::string& commands,
                               FigureSize size = {});

// A gnuplot datablock `$name << EOD ... EOD` from rows of text.
std::string datablock(const std::string& name, const std::vector<std::string>& rows);
// The one way a string (from a store, a config, a file name) enters a gnuplot script: a
// single-quoted gnuplot string, control characters replaced by spaces.
std::string gp_quote(const std::string& s);
// A file name from any string: letters, digits, '-', '_' and '.' (not first), others become
// '_'; at most 120 characters; never empty.
std::string safe_file_name(const std::string& s);

}  // namespace geneft
