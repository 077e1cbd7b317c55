#include "model_card.h"

#include "model/model.h"

#include <QFileInfo>
#include <QFormLayout>
#include <QLabel>
#include <QLocale>

namespace qs {

ModelCard::ModelCard(QWidget *parent) : QWidget(parent)
{
    m_form = new QFormLayout(this);
    m_form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    setAccessibleName(tr("Model card"));
    setModel(nullptr);
}

void ModelCard::setModel(const Model *model)
{
    while (m_form->rowCount() > 0)
        m_form->removeRow(0);
    auto add = [this](const QString &label, const QString &value, const QString &tip = {}) {
        auto *v = new QLabel(value, this);
        v->setTextInteractionFlags(Qt::TextSelectableByMouse);
        v->setWordWrap(true);
        v->setToolTip(tip);
        v->setAccessibleName(label);
        m_form->addRow(label, v);
    };
    if (!model) {
        add(tr("Model"), tr("No model open. Use File ▸ Open, drop a folder or .gguf file here, or open the demo model."));
        return;
    }
    const Architecture &a = model->architecture();
    const QLocale locale;
    add(tr("Model"), QFileInfo(QString::fromStdString(model->path())).fileName(), QString::fromStdString(model->path()));
    add(tr("Format"), model->format() == ModelFormat::Gguf
                          ? tr("GGUF v%1").arg(model->gguf()->version)
                          : model->files().size() == 1 ? tr("Hugging Face safetensors, one file")
                                                        : tr("Hugging Face safetensors, %1 shards").arg(model->files().size()));
    add(tr("Architecture"), QString::fromStdString(a.name));
    add(tr("Layers"), QString::number(a.layers));
    add(tr("Hidden size"), QString::number(a.hiddenSize));
    QString heads = tr("%1 / %2 KV").arg(a.heads).arg(a.kvHeads);
    if (a.kvHeads > 0 && a.heads != a.kvHeads)
        heads += tr(" (GQA %1:1)").arg(a.gqaRatio());
    add(tr("Heads"), heads, tr("Query heads / key-value heads"));
    add(tr("Head dim"), QString::number(a.headDim));
    add(tr("FFN size"), QString::number(a.intermediateSize));
    add(tr("Vocabulary"), locale.toString(static_cast<qlonglong>(a.vocabSize)));
    add(tr("Context"), locale.toString(static_cast<qlonglong>(a.contextLength)));
    add(tr("Embeddings"), a.tiedEmbeddings ? tr("tied to the output") : tr("separate output head"));
    add(tr("Parameters"), locale.toString(static_cast<qlonglong>(model->parameterCount())));
    add(tr("Storage"), QString::fromStdString(model->predominantDtype()),
        tr("The storage type holding most of the weight bytes"));
    add(tr("Size on disk"), locale.formattedDataSize(static_cast<qint64>(model->sizeOnDisk())));
    add(tr("Tensors"), QString::number(model->tensors().size()));
    for (const auto &w : model->warnings())
        add(tr("Warning"), QString::fromStdString(w));
}

QString ModelCard::summaryText() const
{
    QStringList lines;
    for (int r = 0; r < m_form->rowCount(); ++r) {
        auto *label = qobject_cast<QLabel *>(m_form->itemAt(r, QFormLayout::LabelRole) ? m_form->itemAt(r, QFormLayout::LabelRole)->widget() : nullptr);
        auto *value = qobject_cast<QLabel *>(m_form->itemAt(r, QFormLayout::FieldRole) ? m_form->itemAt(r, QFormLayout::FieldRole)->widget() : nullptr);
        lines << (label ? label->text() : QString()) + QLatin1Char(' ') + (value ? value->text() : QString());
    }
    return lines.join(QLatin1Char('\n'));
}

} // namespace qs
