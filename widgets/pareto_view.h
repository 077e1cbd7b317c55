// What each size buys: tensor bytes across (MiB; or, for "fit this device", the estimated memory at its context) against the predicted KLD up (the sum of the per-tensor measured
// KL-divergences, log scale). The allocator's curve — allocatePlan solved at budgets spread from the smallest plan the
// measured formats allow to the largest — with llama.cpp's presets as labelled points, the current plan highlighted
// and the budget panel's candidate marked. Clicking a point of the curve asks for its size as the budget.
//
// A preset's or a plan's point is predicted from the same measurements the allocator uses: for every measured tensor
// the measured KLD of the format it gets, 0 when it keeps its source type; tensors the sensitivity did not measure
// (norms) count 0, as in the allocation. A plan that gives some measured tensor a format that was not measured has no
// prediction: it is left off the chart and named under it with the formats missing. The curve is computed in a worker
// (40 solves of milliseconds each, but a large model's knapsacks add up); the view only draws what comes back.
#pragma once

#include "engine/sensitivity.h"
#include "model/model.h"
#include "plan/plan.h"
#include "plan/resolve.h"

#include <QChartView>
#include <QFutureWatcher>

#include <memory>
#include <optional>
#include <string>
#include <vector>

class QLabel;
class QLineSeries;
class QScatterSeries;
class QLogValueAxis;
class QValueAxis;

namespace qs {

// A resolved plan's size and the damage the measurements predict for it.
struct PlanPrediction {
    uint64_t bytes = 0;
    int64_t elements = 0;
    double kld = 0;                       // NaN when `unmeasured` is not empty
    std::vector<std::string> unmeasured;  // formats it gives a measured tensor that the sensitivity did not measure
    double bitsPerWeight() const { return elements > 0 ? 8.0 * static_cast<double>(bytes) / static_cast<double>(elements) : 0; }
};
PlanPrediction predictPlan(const std::vector<PlannedTensor> &planned, const SensitivityResults &sensitivity);

struct ParetoPoint {
    uint64_t budget = 0;  // what allocatePlan was asked for
    uint64_t bytes = 0;   // what its plan takes
    double kld = 0;       // its predicted KLD
};

struct ParetoPreset {
    std::string name;
    PlanPrediction prediction;
};

struct ParetoCurve {
    quint64 request = 0;
    std::vector<ParetoPoint> points;   // bytes rising, KLD falling: solves another solve beat are left out
    int dominated = 0;                 // how many solves were left out so
    uint64_t smallestBytes = 0, largestBytes = 0; // the reachable range the budgets were spread over
    int64_t elements = 0;
    std::vector<ParetoPreset> presets; // paretoPresets() that resolve on the model, smallest first
    QString error;                     // why there is no curve
};

// The presets drawn: the sizes issue 14's goal compares against, and Q8_0 at the top.
const std::vector<std::string> &paretoPresets();

// The allocator's curve for `base` (it decides what the allocation does not) at `budgets` sizes spread geometrically
// between the smallest and the largest plan the measured formats allow, and the presets' predictions.
ParetoCurve computeParetoCurve(const Model &model, const Plan &base, const SensitivityResults &sensitivity, int budgets = 40);

class ParetoView : public QWidget {
    Q_OBJECT
public:
    explicit ParetoView(QWidget *parent = nullptr);
    ~ParetoView() override;

    // The model, its measured sensitivity and the base plan the allocation starts from; a change starts a new curve.
    // Either pointer nullptr: the chart empties.
    void setInputs(std::shared_ptr<const Model> model, std::shared_ptr<const SensitivityResults> sensitivity, const Plan &base);
    // No curve, and why (shown under the empty chart).
    void clearInputs(const QString &why);
    // The plan the document holds now, resolved (empty: none).
    void setCurrentPlan(const std::vector<PlannedTensor> &resolved);
    // The budget panel's candidate (nullopt: none): its bytes and predicted KLD.
    void setCandidate(std::optional<std::pair<uint64_t, double>> candidate);
    // Across: a plan's estimated device memory instead of its tensor bytes. `besidesWeights` is what the estimate adds
    // to the tensor bytes at the chosen device, context and runtime (KV cache, compute buffers, overhead, less what
    // the runtime keeps in host memory; it does not depend on the plan); `where` names them ("GeForce RTX 4090 at
    // 8,192 tokens, llama.cpp"). nullopt: tensor bytes again.
    void setMemoryAxis(std::optional<int64_t> besidesWeights, const QString &where = {});
    bool showsMemory() const { return m_besidesWeights.has_value(); }
    QString xAxisTitle() const;

    // The last finished curve (nullptr: none, or one is being computed).
    const ParetoCurve *curve() const { return m_computing ? nullptr : m_curve.get(); }
    bool isComputing() const { return m_computing; }
    const std::optional<PlanPrediction> &currentPlan() const { return m_current; }
    const std::optional<std::pair<uint64_t, double>> &candidate() const { return m_candidate; }
    QChartView *chartView() const { return m_view; }
    // Where a curve point / a preset's point is drawn, in the chart view's viewport (for clicks and tests).
    QPoint curvePointPosition(int index) const;
    // The drawn series, by role: what the chart shows.
    QLineSeries *curveSeries() const { return m_curveSeries; }
    QScatterSeries *currentSeries() const { return m_currentSeries; }
    QScatterSeries *candidateSeries() const { return m_candidateSeries; }
    QScatterSeries *presetSeries(const QString &name) const;
    // The line under the chart: presets and plans that could not be drawn and why, or why there is no curve; its
    // tooltip says which formats each preset misses.
    QString noteText() const;
    // What a tooltip over a point says.
    QString describe(uint64_t bytes, double kld) const;
    // How far right the chart goes: 8.5 bits per weight (the budget slider's end) or the largest preset drawn; the
    // curve's points past it are not drawn.
    uint64_t shownBytes() const;
    void retranslate();

Q_SIGNALS:
    // A point of the curve was clicked: its plan's bytes.
    void budgetPicked(quint64 bytes);
    // A new curve has been drawn (or the reason there is none).
    void curveReady();

private:
    void start();
    void onComputed();
    void rebuild();
    void updateMarkers();
    void updateNote();
    void pickNear(const QPointF &value);
    double xOf(uint64_t bytes) const; // where a plan of `bytes` tensor bytes is drawn across (MiB)

    QChartView *m_view = nullptr;
    QLabel *m_note = nullptr;
    std::shared_ptr<const Model> m_model;
    std::shared_ptr<const SensitivityResults> m_sensitivity;
    Plan m_base;
    QString m_unavailable;
    QFutureWatcher<ParetoCurve> m_watcher;
    std::unique_ptr<ParetoCurve> m_curve;
    quint64 m_request = 0;
    bool m_computing = false;
    bool m_again = false;
    std::optional<PlanPrediction> m_current;
    std::optional<std::pair<uint64_t, double>> m_candidate;
    std::optional<int64_t> m_besidesWeights;
    QString m_memoryWhere;
    QLineSeries *m_curveSeries = nullptr;
    QScatterSeries *m_currentSeries = nullptr, *m_candidateSeries = nullptr;
    std::vector<QScatterSeries *> m_presetSeries;
    QValueAxis *m_x = nullptr;
    QLogValueAxis *m_y = nullptr;
};

} // namespace qs
