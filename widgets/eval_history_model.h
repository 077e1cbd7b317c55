// The evaluations of a session as a table, one row per run, in the order they were made: the plan, its size, its
// perplexity and how far its predictions moved from the unquantized model's — so Q4_K_M, a person's own plan and
// later GPTQ are compared side by side. Rows are values the evaluation job handed back; the table only formats them.
#pragma once

#include "pipeline/plan_evaluation.h"

#include <QAbstractTableModel>
#include <QString>

#include <vector>

namespace qs {

// What a plan row's weights are: the plan's formats applied directly (GGUF and RTN), round-to-nearest standing in
// for GPTQ/AWQ formats that were not solved, or a GPTQ/AWQ result as solved and written (its checkpoint).
enum class EvalWeights { Plan, RtnStandIn, Solved };

struct EvalRecord {
    QString label;     // "Q4_K_M", "custom"; empty: the unquantized model
    QString modelName; // the model's file or folder name
    QString textName;  // the evaluation text's file name, or empty for the built-in sample
    EvalWeights weights = EvalWeights::Plan;
    QString checkpoint; // Solved: the folder the evaluated checkpoint was written to
    PlanEvalOutcome outcome;
    bool isOriginal() const { return label.isEmpty(); }
};

class EvalHistoryModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Plan, Size, BitsPerWeight, Ppl, DeltaPpl, KldMean, KldP99, Top1, Time, ColumnCount };
    // The unformatted figure of a cell (double; invalid where the row has none), for sorting and tests.
    static constexpr int ValueRole = Qt::UserRole + 1;

    explicit EvalHistoryModel(QObject *parent = nullptr);

    void add(EvalRecord record);
    void clear();
    const EvalRecord &record(int row) const { return m_rows[static_cast<size_t>(row)]; }
    void retranslate();

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    QString rowLabel(const EvalRecord &r) const;
    QString toolTip(const EvalRecord &r) const;

    std::vector<EvalRecord> m_rows;
};

} // namespace qs
