#include "model_card.h"

#include "model/model.h"
#include "number_text.h"

#include <QFileInfo>
#include <QFormLayout>
#include <QLabel>

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
    add(tr("Model"), QFileInfo(QString::fromStdString(model->path())).fileName(), QString::fromStdString(model->path()));
    add(tr("Format"), model->format() == ModelFormat::Gguf
                          ? tr("GGUF v%1").arg(integerText(model->gguf()->version))
                          : model->files().size() == 1 ? tr("Hugging Face safetensors, one file")
                                                        : tr("Hugging Face safetensors, %1 shards").arg(integerText(static_cast<qint64>(model->files().size()))));
    add(tr("Architecture"), QString::fromStdString(a.name));
    add(tr("Layers"), integerText(a.layers));
    add(tr("Hidden size"), integerText(a.hiddenSize));
    QString heads = tr("%1 / %2 KV").arg(integerText(a.heads), integerText(a.kvHeads));
    if (a.kvHeads > 0 && a.heads != a.kvHeads)
        heads += tr(" (GQA %1:1)").arg(integerText(a.gqaRatio()));
    add(tr("Heads"), heads, tr("Query heads / key-value heads"));
    add(tr("Head dim"), integerText(a.headDim));
    add(tr("FFN size"), integerText(a.intermediateSize));
    add(tr("Vocabulary"), integerText(a.vocabSize));
    add(tr("Context"), integerText(a.contextLength));
    add(tr("Embeddings"), a.tiedEmbeddings ? tr("tied to the output") : tr("separate output head"));
    add(tr("Parameters"), integerText(static_cast<qint64>(model->parameterCount())));
    add(tr("Storage"), QString::fromStdString(model->predominantDtype()),
        tr("The storage type holding most of the weight bytes"));
    add(tr("Size on disk"), bytesText(model->sizeOnDisk()));
    add(tr("Tensors"), integerText(static_cast<qint64>(model->tensors().size())));
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
