// Compares a GGUF file with one of the ../shared/golden JSON dumps of llama.cpp's output: tensor names, order,
// types, shapes and the sha256 of each tensor's bytes; metadata keys in order with types and values (arrays by the
// sha256 of their JSON). Returns the differences in words; empty means identical.
#pragma once

#include <QSet>
#include <QString>
#include <QStringList>

namespace qs::test {

// Keys that name the tool or the file rather than the model (general.name from the folder name, and so on).
QSet<QString> fileNamingKeys();

QStringList compareWithGoldenDump(const QString &ggufPath, const QString &dumpPath, const QSet<QString> &ignoredKeys = fileNamingKeys());

} // namespace qs::test
