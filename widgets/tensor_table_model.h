// The tensor browser's data: one row per tensor of the open model. A view over core data; it owns nothing but a
// shared pointer that keeps the model alive while shown.
#pragma once

#include "analysis/analysis_engine.h"
#include "pipeline/solve_plan.h"
#include "plan/resolve.h"
#include "model/model.h"

#include <QAbstractTableModel>

#include <memory>
#include <optional>

namespace qs {

class TensorTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column {
        Index, Name, OtherName, Role, Layer, Shape, DType, Parameters, Bytes,
        Format, BitsPerWeight, PlannedBytes, PlannedError, // under the current plan
        StdDev, Kurtosis, RelError, Sqnr,                   // from the analysis
        Solver,                                             // the solved GPTQ loss or AWQ scale ratio
        ColumnCount
    };
    // Sorting uses the raw number (parameters, bytes, layer), not the formatted text.
    static constexpr int SortRole = Qt::UserRole + 1;

    explicit TensorTableModel(QObject *parent = nullptr);

    void setModel(std::shared_ptr<const Model> model);
    const Model *model() const { return m_model.get(); }
    // Measurements shown in the statistics and error columns (the first analysed format's error).
    void setAnalysis(std::shared_ptr<const AnalysisResults> analysis);
    const TensorAnalysis *analysisFor(int row) const;
    // After a language change: headers and composed texts are asked for again.
    void retranslate();
    // The plan's decision per model tensor (matched by GGUF name); tensors the plan does not write stay empty.
    void setPlan(const std::vector<PlannedTensor> &planned);
    const PlannedTensor *plannedFor(int row) const;
    // The relative error of the planned format, when the analysis measured it (NaN otherwise, and for a source
    // already quantized: its original weights are gone).
    double plannedError(int row) const;
    // The source stores this tensor in a block format (a quantized GGUF): errors against the original are n/a.
    bool sourceQuantized(int row) const;
    // A weight the plan may quantize (not a norm, bias or other 1-D tensor).
    bool quantizable(int row) const;
    // The window's solved GPTQ/AWQ result (nullptr: none) for the Solver column; `stale`: the plan changed since.
    void setSolved(std::shared_ptr<const SolvedPlan> solved, bool stale);
    // The row's solver measure: GPTQ's loss or AWQ's input scale ratio; NaN where the result has none.
    double solverValue(int row) const;

    Qt::ItemFlags flags(const QModelIndex &index) const override;
    bool setData(const QModelIndex &index, const QVariant &value, int role) override;

Q_SIGNALS:
    // A person chose `type` for the tensor in `row` (the window turns it into an undoable plan change).
    void formatEdited(int row, const QString &ggufName, const QString &type);

public:

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    std::shared_ptr<const Model> m_model;
    std::shared_ptr<const AnalysisResults> m_analysis;
    std::vector<int> m_analysisRow; // model tensor index -> index into m_analysis->tensors, -1
    std::vector<std::optional<PlannedTensor>> m_plan; // by model tensor index
    std::shared_ptr<const SolvedPlan> m_solved;
    bool m_solvedStale = false;
};

} // namespace qs
