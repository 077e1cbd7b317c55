#include "tensor_details.h"

#include "analysis/model_grid.h"
#include "analysis/tensor_preview.h"
#include "heatmap_widget.h"
#include "histogram_view.h"
#include "model_map_widget.h"
#include "number_text.h"
#include "plan_document.h"
#include "plan_totals.h"
#include "quantize_preview.h"
#include "quantize_session.h"
#include "tensor_table_model.h"

#include <QCheckBox>
#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>

namespace qs {

TensorDetails::TensorDetails(PlanDocument *doc, TensorTableModel *table, QWidget *parent)
    : QTabWidget(parent), m_doc(doc), m_table(table)
{
    auto *histPage = new QWidget(this);
    auto *histLayout = new QVBoxLayout(histPage);
    m_histogram = new HistogramView(histPage);
    m_logScale = new QCheckBox(histPage);
    connect(m_logScale, &QCheckBox::toggled, m_histogram, &HistogramView::setLogScale);
    m_histShow = new QComboBox(histPage);
    m_histShow->addItems({QString(), QString(), QString(), QString()});
    m_histShow->setCurrentIndex(2);
    connect(m_histShow, &QComboBox::currentIndexChanged, this, [this](int i) { m_histogram->setShow(static_cast<HistogramView::Show>(i)); });
    m_block = new QSpinBox(histPage);
    m_block->setRange(0, 1 << 30);
    connect(m_block, &QSpinBox::valueChanged, this, [this] { startPreview(); });
    auto *histBar = new QHBoxLayout;
    m_showLabel = new QLabel(histPage);
    histBar->addWidget(m_showLabel);
    histBar->addWidget(m_histShow);
    histBar->addWidget(m_block);
    histBar->addWidget(m_logScale);
    histBar->addStretch();
    m_sensitivityLine = new QLabel(histPage);
    m_sensitivityLine->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_sensitivityLine->hide();
    histLayout->addWidget(m_histogram);
    histLayout->addLayout(histBar);
    histLayout->addWidget(m_sensitivityLine);
    connect(&m_preview, &QFutureWatcher<QVariant>::finished, this, [this] {
        const QVariant v = m_preview.result();
        if (m_previewFor == m_shownRow && v.canConvert<SolvedPreview>()) {
            const SolvedPreview solved = v.value<SolvedPreview>();
            m_histogram->setPreview(solved.preview, solvedLabel());
            m_solvedGrid = solved.grid;
            showHeatmap();
        } else if (m_previewFor == m_shownRow && v.canConvert<TensorPreview>()) {
            m_histogram->setPreview(v.value<TensorPreview>());
        }
        if (m_previewPending) { // the selection moved on while this one ran: the latest is what is shown next
            m_previewPending = false;
            startPreview();
            if (m_preview.isRunning())
                return;
        }
        Q_EMIT previewReady();
    });
    addTab(histPage, QString());

    auto *heatPage = new QWidget(this);
    auto *heatLayout = new QVBoxLayout(heatPage);
    auto *heatBar = new QHBoxLayout;
    m_heatFormat = new QComboBox(heatPage);
    m_heatMeasure = new QComboBox(heatPage);
    m_heatMeasure->addItems({QString(), QString(), QString(), QString()}); // the order of HeatmapWidget::Measure
    heatBar->addWidget(m_heatFormat);
    heatBar->addWidget(m_heatMeasure);
    heatBar->addStretch();
    m_heatmap = new HeatmapWidget(heatPage);
    heatLayout->addLayout(heatBar);
    heatLayout->addWidget(m_heatmap, 1);
    addTab(heatPage, QString());
    connect(m_heatFormat, &QComboBox::currentIndexChanged, this, [this] { showHeatmap(); });
    connect(m_heatMeasure, &QComboBox::currentIndexChanged, this, [this] { showHeatmap(); });

    // the model map, coloured by the plan's weight error or by the measured sensitivity of one format
    auto *mapPage = new QWidget(this);
    auto *mapLayout = new QVBoxLayout(mapPage);
    auto *mapBar = new QHBoxLayout;
    m_colourLabel = new QLabel(mapPage);
    m_mapColouring = new QComboBox(mapPage);
    m_mapColouring->addItems({QString(), QString(), QString()}); // the order of ModelMapWidget::Colouring
    m_colourLabel->setBuddy(m_mapColouring);
    m_mapFormat = new QComboBox(mapPage);
    m_mapFormat->setEnabled(false);
    m_measure = new QPushButton(mapPage);
    connect(m_measure, &QPushButton::clicked, this, &TensorDetails::measureSensitivityRequested);
    mapBar->addWidget(m_colourLabel);
    mapBar->addWidget(m_mapColouring);
    mapBar->addWidget(m_mapFormat);
    mapBar->addStretch();
    mapBar->addWidget(m_measure);
    m_modelMap = new ModelMapWidget(mapPage);
    mapLayout->addLayout(mapBar);
    mapLayout->addWidget(m_modelMap, 1);
    addTab(mapPage, QString());
    connect(m_mapColouring, &QComboBox::currentIndexChanged, this, [this](int i) {
        const bool kld = i == static_cast<int>(ModelMapWidget::Colouring::MeasuredKld);
        m_modelMap->setColouring(static_cast<ModelMapWidget::Colouring>(std::max(0, i)));
        m_mapFormat->setEnabled(kld && m_sensitivity);
    });
    connect(m_mapFormat, &QComboBox::currentIndexChanged, this, [this](int f) {
        if (f >= 0)
            m_modelMap->setSensitivityFormat(f);
    });
    connect(m_modelMap, &ModelMapWidget::tensorClicked, this, [this](int index) {
        if (m_modelMap->colouring() == ModelMapWidget::Colouring::BitsPerWeight) {
            const auto &planned = m_doc->resolved();
            if (index >= 0 && index < static_cast<int>(planned.size()))
                if (const int row = modelRowOf(planned[static_cast<size_t>(index)].ggufName); row >= 0)
                    Q_EMIT tensorClicked(row);
            return;
        }
        if (m_modelMap->colouring() == ModelMapWidget::Colouring::MeasuredKld) {
            if (m_sensitivity && index >= 0 && index < static_cast<int>(m_sensitivity->tensors.size()))
                if (const int row = modelRowOf(m_sensitivity->tensors[static_cast<size_t>(index)]); row >= 0)
                    Q_EMIT tensorClicked(row);
            return;
        }
        if (m_analysis && index >= 0 && index < static_cast<int>(m_analysis->tensors.size()))
            Q_EMIT tensorClicked(static_cast<int>(m_analysis->tensors[static_cast<size_t>(index)].index));
    });
    // a new plan may change the shown tensor's format and every cell of the model map
    connect(doc, &PlanDocument::planChanged, this, [this] {
        if (m_shownRow >= 0)
            startPreview();
        refreshModelMap();
    });
    retranslate();
}

TensorDetails::~TensorDetails() { m_preview.waitForFinished(); }

void TensorDetails::setModel(std::shared_ptr<const Model> model)
{
    m_model = std::move(model);
    m_analysis.reset();
    m_shownRow = -1;
    m_histogram->setHistogram(nullptr, QString());
    m_heatmap->setGrid(nullptr, QString());
    m_heatFormat->clear();
    m_solvedItem = false;
    m_solved.reset();
    m_solvedGrid.reset();
    setSensitivity(nullptr);
    refreshModelMap();
}

void TensorDetails::setSolved(std::shared_ptr<const SolvedResult> solved, bool stale)
{
    m_solved = std::move(solved);
    m_solvedStale = stale;
    if (m_shownRow >= 0)
        showTensor(m_shownRow);
    else
        updateHeatFormats();
}

bool TensorDetails::showsSolved() const
{
    return m_solved && m_model && m_solved->model == m_model && m_shownRow >= 0 && m_shownRow < static_cast<int>(m_model->tensors().size()) &&
           m_solved->tensor(m_model->tensors()[static_cast<size_t>(m_shownRow)].name);
}

QString TensorDetails::solvedLabel() const
{
    if (!showsSolved())
        return {};
    const QString method = m_solved->solved.solver == IntGroupMethod::Awq ? QStringLiteral("AWQ") : QStringLiteral("GPTQ");
    return m_solvedStale ? tr("%1 result (an earlier plan)").arg(method) : tr("%1 result").arg(method);
}

void TensorDetails::updateHeatFormats()
{
    // the solved result first, when it holds the shown tensor, then the analysed formats
    const bool want = showsSolved();
    const QString label = solvedLabel();
    m_heatFormat->blockSignals(true);
    if (m_solvedItem && !want) {
        m_heatFormat->removeItem(0);
    } else if (!m_solvedItem && want) {
        m_heatFormat->insertItem(0, label);
        m_heatFormat->setCurrentIndex(0);
    } else if (want) {
        m_heatFormat->setItemText(0, label);
    }
    m_solvedItem = want;
    m_heatFormat->blockSignals(false);
}

void TensorDetails::setSensitivity(std::shared_ptr<const SensitivityResults> sensitivity)
{
    m_sensitivity = std::move(sensitivity);
    m_modelMap->setSensitivity(m_sensitivity, m_model ? m_model->architecture().layers : 0);
    // the formats measured, keeping the one shown when the new measurement has it too
    const QString shownFormat = m_mapFormat->currentText();
    m_mapFormat->blockSignals(true);
    m_mapFormat->clear();
    if (m_sensitivity)
        for (const auto &f : m_sensitivity->formats)
            m_mapFormat->addItem(QString::fromStdString(f.name()));
    const int keep = m_mapFormat->findText(shownFormat);
    // the middle format by default: Q4_K of the default set, where plans usually decide
    m_mapFormat->setCurrentIndex(keep >= 0 ? keep : m_mapFormat->count() / 2);
    m_mapFormat->blockSignals(false);
    m_modelMap->setSensitivityFormat(std::max(0, m_mapFormat->currentIndex()));
    m_mapFormat->setEnabled(m_sensitivity && m_mapColouring->currentIndex() == static_cast<int>(ModelMapWidget::Colouring::MeasuredKld));
    showSensitivityLine();
}

void TensorDetails::showSensitivityMap()
{
    m_mapColouring->setCurrentIndex(static_cast<int>(ModelMapWidget::Colouring::MeasuredKld));
    setCurrentIndex(indexOf(m_modelMap->parentWidget()));
}

void TensorDetails::setMeasuring(bool running) { m_measure->setEnabled(!running); }

int TensorDetails::modelRowOf(const std::string &ggufName) const
{
    if (!m_model)
        return -1;
    const auto &tensors = m_model->tensors();
    for (size_t i = 0; i < tensors.size(); ++i)
        if (ggufNameOf(*m_model, tensors[i]) == ggufName)
            return static_cast<int>(i);
    return -1;
}

QString TensorDetails::sensitivityText() const
{
    if (!m_sensitivity || !m_model || m_shownRow < 0 || m_shownRow >= static_cast<int>(m_model->tensors().size()))
        return {};
    const std::string name = ggufNameOf(*m_model, m_model->tensors()[static_cast<size_t>(m_shownRow)]);
    const auto it = std::find(m_sensitivity->tensors.begin(), m_sensitivity->tensors.end(), name);
    if (it == m_sensitivity->tensors.end())
        return {};
    const size_t t = static_cast<size_t>(it - m_sensitivity->tensors.begin());
    QStringList parts;
    for (size_t f = 0; f < m_sensitivity->formats.size(); ++f)
        parts << QString::fromStdString(m_sensitivity->formats[f].name()) + QLatin1Char(' ') +
                     significantText(m_sensitivity->kld[m_sensitivity->index(t, f)], 3);
    return tr("Measured KLD when only this tensor is quantized: %1").arg(parts.join(QStringLiteral(" · ")));
}

void TensorDetails::showSensitivityLine()
{
    const QString text = sensitivityText();
    m_sensitivityLine->setText(text);
    m_sensitivityLine->setVisible(!text.isEmpty());
}

void TensorDetails::setAnalysis(std::shared_ptr<const AnalysisResults> analysis)
{
    m_analysis = std::move(analysis);
    m_heatFormat->blockSignals(true);
    m_heatFormat->clear();
    m_solvedItem = false;
    if (m_analysis)
        for (const auto &c : m_analysis->candidates)
            m_heatFormat->addItem(QString::fromStdString(c.id()));
    m_heatFormat->blockSignals(false);
    updateHeatFormats();
    refreshModelMap();
    if (m_shownRow >= 0)
        showTensor(m_shownRow);
}

void TensorDetails::showTensor(int modelRow)
{
    m_shownRow = modelRow;
    const TensorAnalysis *a = m_table->analysisFor(modelRow);
    if (a)
        m_histogram->setHistogram(&a->stats.histogram, tr("%1: mean %2, std %3, kurtosis %4")
                                                            .arg(QString::fromStdString(a->ggufName), significantText(a->stats.mean, 3),
                                                                 significantText(a->stats.stddev, 3), fixedText(a->stats.kurtosis, 2)));
    else if (m_model && modelRow >= 0)
        m_histogram->setHistogram(nullptr, QString::fromStdString(m_model->tensors()[static_cast<size_t>(modelRow)].name));
    m_solvedGrid.reset();
    updateHeatFormats();
    startPreview();
    showHeatmap();
    showSensitivityLine();
}

void TensorDetails::startPreview()
{
    // one preview at a time, and the event loop never waits for one: a request while one runs is taken up when it ends
    if (m_preview.isRunning()) {
        m_previewPending = true;
        return;
    }
    if (showsSolved()) {
        // the real GPTQ/AWQ weights against the original, off the event loop
        m_previewFor = m_shownRow;
        auto solved = m_solved;
        const size_t index = static_cast<size_t>(m_shownRow);
        const int64_t block = m_block->value();
        m_preview.setFuture(QtConcurrent::run([solved, index, block] {
            auto r = previewSolved(*solved, index, block);
            return r ? QVariant::fromValue(*r) : QVariant();
        }));
        return;
    }
    const PlannedTensor *p = m_table->plannedFor(m_shownRow);
    if (!m_model || !p || !p->decision.quantized || p->decision.group || typeTraits(p->decision.type).blockSize == 1) {
        m_histogram->setPreview(std::nullopt);
        return;
    }
    // quantize a sample of the tensor in the planned format, off the event loop
    m_previewFor = m_shownRow;
    auto model = m_model;
    const size_t index = static_cast<size_t>(m_shownRow);
    const GgmlType type = p->decision.type;
    const int64_t block = m_block->value();
    m_preview.setFuture(QtConcurrent::run([model, index, type, block] {
        auto r = previewTensor(*model, index, type, block);
        return r ? QVariant::fromValue(*r) : QVariant();
    }));
}

void TensorDetails::showHeatmap()
{
    const auto measure = static_cast<HeatmapWidget::Measure>(std::max(0, m_heatMeasure->currentIndex()));
    if (m_solvedItem && m_heatFormat->currentIndex() == 0) {
        // the solved weights' map comes with the histogram's worker; until then the map stays empty
        m_heatmap->setGrid(m_solvedGrid, m_solvedGrid ? tr("%1 — %2, against the original weights")
                                                            .arg(QString::fromStdString(m_model->tensors()[static_cast<size_t>(m_shownRow)].name), solvedLabel())
                                                      : QString(),
                           measure);
        return;
    }
    const TensorAnalysis *a = m_table->analysisFor(m_shownRow);
    const int f = m_heatFormat->currentIndex() - (m_solvedItem ? 1 : 0);
    if (!a || f < 0 || f >= static_cast<int>(a->candidates.size()) || !a->candidates[static_cast<size_t>(f)].applicable) {
        m_heatmap->setGrid(nullptr, QString());
        return;
    }
    const CandidateResult &cr = a->candidates[static_cast<size_t>(f)];
    // keep the whole analysis alive for as long as the widget shows one of its grids
    std::shared_ptr<const ErrorGrid> grid(m_analysis, &cr.grid);
    // a source stored quantized is compared with its quantized weights, not with originals it no longer has
    const QString title = storedQuantized(m_model->tensors()[a->index])
                              ? tr("%1 under %2, against the weights as stored (%3, already quantized)")
                                    .arg(QString::fromStdString(a->ggufName), QString::fromStdString(cr.candidate.id()),
                                         QString::fromStdString(m_model->tensors()[a->index].dtype))
                              : tr("%1 under %2").arg(QString::fromStdString(a->ggufName), QString::fromStdString(cr.candidate.id()));
    m_heatmap->setGrid(grid, title, measure);
}

void TensorDetails::refreshModelMap()
{
    // where the bits went needs only the plan; the error map needs an analysis too
    const bool planned = m_model && m_doc->model() == m_model.get(); // the document follows the window's model just after
    m_modelMap->setPlanned(planned ? m_doc->resolved() : std::vector<PlannedTensor>(), planned ? m_model->architecture().layers : 0);
    if (!m_model || !m_analysis) {
        m_modelMap->setGrid(ModelErrorGrid());
        return;
    }
    std::vector<bool> alreadyQuantized; // by analysed tensor: no error against the original weights exists
    for (const auto &a : m_analysis->tensors)
        alreadyQuantized.push_back(storedQuantized(m_model->tensors()[a.index]));
    m_modelMap->setGrid(modelErrorGridForPlan(*m_analysis, m_model->architecture().layers, m_doc->resolved()), alreadyQuantized);
}

void TensorDetails::retranslate()
{
    setTabText(0, tr("Histogram"));
    setTabText(1, tr("Error map"));
    setTabText(2, tr("Model map"));
    m_logScale->setText(tr("&Logarithmic counts"));
    m_logScale->setToolTip(tr("Show the histogram's counts on a log scale, to see the tails"));
    const QStringList shows = {tr("Original"), tr("Quantized"), tr("Both"), tr("Error")};
    for (int i = 0; i < shows.size(); ++i)
        m_histShow->setItemText(i, shows[i]);
    m_histShow->setAccessibleName(tr("Histogram shows"));
    m_histShow->setToolTip(tr("Original weights, the weights after the planned format (A/B), both, or the error"));
    m_showLabel->setText(tr("Show:"));
    m_block->setPrefix(tr("block "));
    m_block->setAccessibleName(tr("Block whose levels are shown"));
    m_block->setToolTip(tr("The block whose reconstruction levels are marked along the axis"));
    m_heatFormat->setAccessibleName(tr("Heatmap format"));
    m_heatFormat->setToolTip(tr("The format whose error the map shows"));
    const QStringList measures = {tr("Mean |error|"), tr("Max |error|"), tr("Quantization step"), tr("Signed error (bias)")};
    for (int i = 0; i < measures.size(); ++i)
        m_heatMeasure->setItemText(i, measures[i]);
    m_heatMeasure->setAccessibleName(tr("Heatmap measure"));
    m_heatMeasure->setToolTip(tr("Magnitudes use viridis; the signed error mean(Q(W) − W) uses a blue–grey–red scale centred on 0"));
    m_histogram->setShow(m_histogram->show());
    m_colourLabel->setText(tr("C&olour by:"));
    m_mapColouring->setItemText(0, tr("Weight error"));
    m_mapColouring->setItemText(1, tr("Measured KLD"));
    m_mapColouring->setItemText(2, tr("Bits per weight"));
    m_mapColouring->setAccessibleName(tr("Model map colouring"));
    m_mapColouring->setToolTip(tr("Weight error: ‖Q(W) − W‖ / ‖W‖ in the planned format. Measured KLD: how far the predictions "
                                  "move when only that tensor is quantized. Bits per weight: where the plan puts its bits"));
    m_mapFormat->setAccessibleName(tr("Measured format"));
    m_mapFormat->setToolTip(tr("The format whose measured KL-divergence the map shows"));
    m_measure->setText(tr("Measure Sensitivity"));
    m_measure->setToolTip(tr("For every weight and format, the KL-divergence when only that weight is quantized, on the built-in "
                             "text; saved with the project"));
    m_sensitivityLine->setToolTip(tr("Mean KL-divergence from the unquantized model on the measured windows"));
    showSensitivityLine();
    m_modelMap->retranslate();
    m_heatmap->update();
}

} // namespace qs
