// Resuming a layer-by-layer calibration run (GPTQ, AWQ) after a crash or a cancel. After every finished layer the
// run saves, in a folder the person names, what that layer produced (a record the solver writes: codes, scales, folded
// norms, choices) and the inputs of the next layer; a rerun with the same key (a hash of the model, the calibration
// windows and everything that changes the result) takes the saved layers and starts at the first unsaved one.
//
// Files: inputs.bin (the key, the next layer's number, then its inputs as f32) and layer-<l>.bin (the key, then the
// record). The record is written first, then the inputs, each file atomically, so a crash between the two leaves the
// earlier inputs, and the run resumes at that layer again. The loader requires a record for every layer before the
// saved inputs' layer. A file of another run (another key: the model's files with their sizes and times, the windows,
// the settings), a truncated or a malicious file is ignored: the run starts from the first layer.
#pragma once

#include "calibration/activation_buffer.h"
#include "common/result.h"
#include "formats/int_group.h"
#include "model/model.h"

#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

namespace qs {

struct CalibrationSet;

// The bytes of one layer's record: length-prefixed vectors of plain values.
class ResumeRecord {
public:
    template <class T>
    void put(const std::vector<T> &v)
    {
        const uint64_t n = v.size();
        append(&n, sizeof n);
        append(v.data(), n * sizeof(T));
    }
    void putText(const std::string &s) { put(std::vector<char>(s.begin(), s.end())); }
    void putNumber(double x) { put(std::vector<double>{x}); }
    // name, format id, shape, symmetric flag, codes, scales, zeros, g_idx and loss
    void putTensor(const std::string &name, const GroupQuantizedTensor &t);
    const std::vector<uint8_t> &bytes() const { return m_bytes; }

private:
    void append(const void *p, size_t n);
    std::vector<uint8_t> m_bytes;
};

// Reads a record back; every getter returns false (and the reader stays failed) on anything that does not fit.
class ResumeReader {
public:
    explicit ResumeReader(std::vector<uint8_t> bytes) : m_bytes(std::move(bytes)) {}
    template <class T>
    bool get(std::vector<T> &v, uint64_t limit)
    {
        uint64_t n = 0;
        if (m_failed || m_pos + 8 > m_bytes.size())
            return fail();
        std::memcpy(&n, m_bytes.data() + m_pos, 8);
        m_pos += 8;
        if (n > limit || n > (m_bytes.size() - m_pos) / sizeof(T))
            return fail();
        v.resize(static_cast<size_t>(n));
        std::memcpy(v.data(), m_bytes.data() + m_pos, static_cast<size_t>(n * sizeof(T)));
        m_pos += static_cast<size_t>(n * sizeof(T));
        return true;
    }
    bool getText(std::string &s, uint64_t limit = 4096);
    bool getNumber(double &x);
    bool getTensor(std::string &name, GroupQuantizedTensor &t);
    bool atEnd() const { return !m_failed && m_pos == m_bytes.size(); }
    uint64_t size() const { return m_bytes.size(); }

private:
    bool fail()
    {
        m_failed = true;
        return false;
    }
    std::vector<uint8_t> m_bytes;
    size_t m_pos = 0;
    bool m_failed = false;
};

class LayerResume {
public:
    // `settings`: everything besides the model and the windows that changes the result (the plan, the options).
    // An empty folder name: nothing is saved or loaded.
    LayerResume(std::string folder, const Model &model, const CalibrationSet &calibration, const std::string &settings);

    bool enabled() const { return !m_dir.empty(); }
    const std::string &folder() const { return m_dir; }
    // An error only when the folder was named but does not exist.
    Status check() const;

    // Saves layer `layer`'s record and the next layer's inputs.
    Status save(int layer, const ResumeRecord &record, const ActivationBuffer &nextInputs) const;

    // The first layer not yet saved, with the saved records of the layers before it; 0 (and none) when nothing usable
    // is saved or `maxLayers` would be passed. `inputs` receives the saved inputs only when something is returned.
    struct Loaded {
        int next = 0;
        std::vector<ResumeReader> records;
    };
    Loaded load(int maxLayers, ActivationBuffer &inputs) const;

private:
    std::string m_dir, m_key;
};

} // namespace qs
