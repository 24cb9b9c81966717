#include <cmath>
#include <cstdio>

#include "core/error.h"
#include "plot/gnuplot.h"
#include "plot/run_figures.h"
#include "measure/fourier.h"

namespace geneft {

std::vector<SpectrumSnapshot> embedding_spectra(const std::vector<EvalPoint>& curve,
                                                const std::vector<EmbeddingSnapshot>& embeddings) {
  std::vector<SpectrumSnapshot> out;
  if (curve.empty() || !std::isfinite(curve.back().fourier_top_k)) return out;
  for (const auto& e : embeddings) {
    FourierSpectrum f = fourier_spectrum(std::vector<double>(e.values.begin(), e.values.end()), e.rows, e.cols, 1);
    double total = 0;
    for (double x : f.power) total += x;
    for (double& x : f.power) x = total > 0 ? x / total : 0.0;
    out.push_back({e.step, std::move(f.power)});
  }
  return out;
}

std::string curves_title(const std::string& task, int64_t seed, const std::string& id, const std::string& status) {
  return task + ", seed " + std::to_string(seed) + " (run " + id.substr(0, 8) + ", " + status + ")";
}

std::string draw_curves(const std::vector<EvalPoint>& curve, const std::string& title, const std::string& out_dir,
                        const std::string& name, const std::vector<SpectrumSnapshot>& spectra) {
  if (curve.empty()) throw UserError("the run has no measurements to draw");
  std::vector<std::string> rows;
  bool has_rqi = false, has_test = false, has_fourier = false;
  auto col = [](double v) {
    if (!std::isfinite(v)) return std::string(" NaN");
    char buf[32];
    std::snprintf(buf, sizeof buf, " %.9g", v);
    return std::string(buf);
  };
  for (const auto& p : curve) {
    if (p.step == 0) continue;  // log-step axis
    has_rqi |= std::isfinite(p.rqi);
    has_test |= std::isfinite(p.test_acc);
    has_fourier |= std::isfinite(p.fourier_top_k);
    rows.push_back(std::to_string(p.step) + col(p.train_acc) + col(p.test_acc) + col(p.train_loss) + col(p.test_loss) +
                   col(p.encoder_norm) + col(p.decoder_norm) + col(p.rqi) + col(p.fourier_top_k) + col(p.fourier_gini) +
                   col(p.weight_norm));
  }
  if (rows.empty()) throw UserError("the run has no measurements after step 0 to draw");
  const std::string train = "lc rgb '" + kColorblindSafe[0] + "'", test = "lc rgb '" + kColorblindSafe[1] + "'";
  std::string s = datablock("c", rows);
  std::vector<std::string> heat;  // step, frequency, fraction; one scan per step for pm3d
  for (const auto& sp : spectra) {
    if (sp.step == 0) continue;
    for (size_t k = 0; k < sp.power.size(); ++k) heat.push_back(std::to_string(sp.step) + " " + std::to_string(k) + col(sp.power[k]));
    heat.push_back("");
  }
  const bool has_spectrum = heat.size() > 2 * spectra.front().power.size() + 2;  // pm3d needs two scans
  if (has_spectrum) s += datablock("s", heat);
  const int panels = 3 + (has_rqi || has_fourier) + has_spectrum;
  s += "set multiplot layout " + std::to_string((panels + 1) / 2) + ",2 title " + gp_quote(title) + " noenhanced\n";
  s += "set logscale x\nset format x '10^{%L}'\nset xlabel 'step'\nset grid lc rgb '#dddddd'\nset key bottom right\n";
  s += "set ylabel 'accuracy'\nset yrange [0:1.05]\n";
  s += "plot $c using 1:2 with lines " + train + " title 'train'" +
       (has_test ? ", $c using 1:3 with lines " + test + " title 'test'" : "") + "\n";
  s += "set ylabel 'loss'\nset autoscale y\nset logscale y\nset format y '10^{%L}'\nset key top right\n";
  s += "plot $c using 1:4 with lines " + train + " title 'train'" +
       (has_test ? ", $c using 1:5 with lines " + test + " title 'test'" : "") + "\n";
  s += "unset logscale y\nset format y '%g'\nset ylabel 'weight norm (L2)'\nset key top right\n";
  s += "plot $c using 1:6 with lines lc rgb '" + kColorblindSafe[2] + "' title 'encoder', $c using 1:7 with lines lc rgb '" +
       kColorblindSafe[3] + "' title 'decoder', $c using 1:11 with lines lc rgb '#000000' title 'total'\n";
  if (has_rqi || has_fourier) {
    s += "set ylabel '" + std::string(has_fourier ? "embedding Fourier sparsity" : "RQI") + "'\nset yrange [0:1.05]\n";
    std::string plots;
    if (has_rqi) plots += "$c using 1:8 with lines lc rgb '" + kColorblindSafe[4] + "' title 'RQI'";
    if (has_fourier)
      plots += std::string(has_rqi ? ", " : "") + "$c using 1:9 with lines lc rgb '" + kColorblindSafe[5] +
               "' title 'top-k frequencies (share of |E|^2)', $c using 1:10 with lines lc rgb '" + kColorblindSafe[6] +
               "' title 'Gini of frequency powers'";
    s += "plot " + plots + "\n";
  }
  if (has_spectrum) {
    s += "set ylabel 'frequency k'\nset autoscale y\nset yrange [0:*]\nset view map\nset pm3d map corners2color c1\n";
    s += "set palette cubehelix negative\nset cblabel 'share of |E|^2'\nunset key\n";
    s += "splot $s using 1:2:3 with pm3d notitle\n";
  }
  s += "unset multiplot\n";
  return render_figure(out_dir, name, s, {1100, panels > 4 ? 1150 : 800});
}

}  // namespace geneft
