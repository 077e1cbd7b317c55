// The model card: architecture, parameters, storage type and size, as a person reads them.
#pragma once

#include <QWidget>

class QFormLayout;
class QLabel;

namespace qs {

class Model;

class ModelCard : public QWidget {
    Q_OBJECT
public:
    explicit ModelCard(QWidget *parent = nullptr);
    void setModel(const Model *model);
    // The card's text, field by field, for tests and the clipboard.
    QString summaryText() const;

private:
    QFormLayout *m_form = nullptr;
};

} // namespace qs
