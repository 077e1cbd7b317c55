<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name>main</name>
    <message>
        <location filename="../app/studio/main.cpp" line="54"/>
        <source>Quantization studio for large language models</source>
        <translation>大语言模型量化工作室</translation>
    </message>
    <message>
        <location filename="../app/studio/main.cpp" line="28"/>
        <source>Open the built-in demo model</source>
        <translation>打开内置示例模型</translation>
    </message>
    <message>
        <location filename="../app/studio/main.cpp" line="30"/>
        <source>Save a PNG of the window once the model is open, then quit</source>
        <translation>模型打开后保存窗口截图（PNG）并退出</translation>
    </message>
    <message>
        <location filename="../app/studio/main.cpp" line="32"/>
        <source>Analyse the model as soon as it is open</source>
        <translation>模型打开后立即分析</translation>
    </message>
    <message>
        <location filename="../app/studio/main.cpp" line="33"/>
        <source>Details view to show: histogram, errormap or modelmap</source>
        <translation>要显示的详细视图：histogram、errormap 或 modelmap</translation>
    </message>
    <message>
        <location filename="../app/studio/main.cpp" line="35"/>
        <source>Error map measure: mean, max, step or signed</source>
        <translation>误差图度量：mean、max、step 或 signed</translation>
    </message>
    <message>
        <location filename="../app/studio/main.cpp" line="37"/>
        <source>Add a plan rule REGEX=FORMAT (repeatable)</source>
        <translation>添加方案规则 REGEX=FORMAT（可重复）</translation>
    </message>
    <message>
        <location filename="../app/studio/main.cpp" line="39"/>
        <source>Show the tensors grouped by layer</source>
        <translation>按层分组显示张量</translation>
    </message>
    <message>
        <location filename="../app/studio/main.cpp" line="41"/>
        <source>Evaluate the original model and the plan as soon as the model is open</source>
        <translation>模型打开后立即评估原始模型和方案</translation>
    </message>
    <message>
        <location filename="../app/studio/main.cpp" line="42"/>
        <source>Load a plan (JSON) as soon as the model is open</source>
        <translation>模型打开后立即载入方案（JSON）</translation>
    </message>
    <message>
        <location filename="../app/studio/main.cpp" line="45"/>
        <source>Quantize the plan&apos;s GPTQ/AWQ formats into this folder as soon as the model is open (built-in calibration); with --evaluate, the solved result is evaluated too</source>
        <translation>模型打开后立即将方案中的 GPTQ/AWQ 格式量化到此文件夹（内置校准）；配合 --evaluate 时也评估求解结果</translation>
    </message>
    <message>
        <location filename="../app/studio/main.cpp" line="49"/>
        <source>Measure the sensitivity as soon as the model is open and show it on the model map</source>
        <translation>模型打开后立即测量敏感度，并在模型图中显示</translation>
    </message>
    <message>
        <location filename="../app/studio/main.cpp" line="56"/>
        <source>Model folder, .gguf file or .qsproj project to open</source>
        <translation>要打开的模型文件夹、.gguf 文件或 .qsproj 项目</translation>
    </message>
    <message>
        <location filename="../app/studio/main.cpp" line="75"/>
        <source>--%1 must be one of %2; &apos;%3&apos; is not</source>
        <translation>--%1 必须是 %2 之一；“%3”不是</translation>
    </message>
    <message>
        <location filename="../app/studio/main.cpp" line="118"/>
        <source>open one model or project at a time; got %1</source>
        <translation>一次只能打开一个模型或项目；收到：%1</translation>
    </message>
</context>
<context>
    <name>qs::BudgetPanel</name>
    <message>
        <location filename="../widgets/budget_panel.cpp" line="236"/>
        <source>Measure Sensitivity first (Analysis ▸ Measure Sensitivity): the fit chooses formats from the measured KL-divergences.</source>
        <translation>请先测量敏感度（分析 ▸ 测量敏感度）：按预算适配依据测得的 KL 散度选择格式。</translation>
    </message>
    <message>
        <location filename="../widgets/budget_panel.cpp" line="239"/>
        <source>The plan holds GPTQ/AWQ formats; fitting to a budget chooses GGUF formats. Choose a GGUF preset and no group format first.</source>
        <translation>方案包含 GPTQ/AWQ 格式；按预算适配选择的是 GGUF 格式。请先选择 GGUF 预设且不使用分组格式。</translation>
    </message>
    <message>
        <location filename="../widgets/budget_panel.cpp" line="309"/>
        <source>no device is chosen in the memory bar</source>
        <translation>内存栏中未选择设备</translation>
    </message>
    <message>
        <location filename="../widgets/budget_panel.cpp" line="371"/>
        <source>fit to %1 bpw</source>
        <translation>适配到 %1 bpw</translation>
    </message>
    <message>
        <location filename="../widgets/budget_panel.cpp" line="373"/>
        <source>fit to %1 MiB</source>
        <translation>适配到 %1 MiB</translation>
    </message>
    <message>
        <location filename="../widgets/budget_panel.cpp" line="375"/>
        <source>fit to %1</source>
        <translation>适配 %1</translation>
    </message>
    <message>
        <location filename="../widgets/budget_panel.cpp" line="376"/>
        <source>fit to the size of %1</source>
        <translation>适配到 %1 的大小</translation>
    </message>
    <message>
        <location filename="../widgets/budget_panel.cpp" line="403"/>
        <location filename="../widgets/budget_panel.cpp" line="404"/>
        <source>Fitting…</source>
        <translation>正在适配…</translation>
    </message>
    <message>
        <location filename="../widgets/budget_panel.cpp" line="408"/>
        <source>This budget cannot be met: %1</source>
        <translation>无法满足此预算：%1</translation>
    </message>
    <message>
        <location filename="../widgets/budget_panel.cpp" line="412"/>
        <source>%1 of %2 allowed · %3 bpw · predicted KLD %4 (sum of measured)</source>
        <translation>%1 / 允许 %2 · %3 bpw · 预测 KLD %4（测量值之和）</translation>
    </message>
    <message>
        <location filename="../widgets/budget_panel.cpp" line="416"/>
        <source>Fits %1 with the weights at %2 of the %3 left after the KV cache, buffers and overhead.</source>
        <translation>适配 %1：权重占用扣除 KV 缓存、缓冲区和开销后剩余 %3 中的 %2。</translation>
    </message>
    <message>
        <location filename="../widgets/budget_panel.cpp" line="419"/>
        <source>Replace the plan by %1 with a format for each of its %2 measured weights (undoable)</source>
        <translation>将方案替换为 %1，并为其 %2 个已测量权重各选一种格式（可撤销）</translation>
    </message>
    <message>
        <location filename="../widgets/budget_panel.cpp" line="423"/>
        <source>%1 as it is: %2 · %3 bpw · predicted KLD %4</source>
        <translation>%1 原样：%2 · %3 bpw · 预测 KLD %4</translation>
    </message>
    <message>
        <location filename="../widgets/budget_panel.cpp" line="437"/>
        <source>&amp;Budget:</source>
        <translation>预算(&amp;B)：</translation>
    </message>
    <message>
        <location filename="../widgets/budget_panel.cpp" line="438"/>
        <source>Bits per weight</source>
        <translation>每权重位数</translation>
    </message>
    <message>
        <location filename="../widgets/budget_panel.cpp" line="439"/>
        <source>Size in MiB</source>
        <translation>大小（MiB）</translation>
    </message>
    <message>
        <location filename="../widgets/budget_panel.cpp" line="440"/>
        <source>Fit this device</source>
        <translation>适配此设备</translation>
    </message>
    <message>
        <location filename="../widgets/budget_panel.cpp" line="441"/>
        <source>The device, context and runtime of the memory bar: the largest plan whose estimated memory (weights, KV cache, compute buffers, runtime overhead) fits it</source>
        <translation>使用内存栏的设备、上下文和运行时：估算内存（权重、KV 缓存、计算缓冲区、运行时开销）能放下的最大方案</translation>
    </message>
    <message>
        <location filename="../widgets/budget_panel.cpp" line="446"/>
        <source>As large as %1</source>
        <translation>与 %1 一样大</translation>
    </message>
    <message>
        <location filename="../widgets/budget_panel.cpp" line="448"/>
        <source> bpw</source>
        <translation> bpw</translation>
    </message>
    <message>
        <location filename="../widgets/budget_panel.cpp" line="448"/>
        <source> MiB</source>
        <translation> MiB</translation>
    </message>
    <message>
        <location filename="../widgets/budget_panel.cpp" line="449"/>
        <source>&amp;Apply</source>
        <translation>应用(&amp;A)</translation>
    </message>
    <message>
        <location filename="../widgets/budget_panel.cpp" line="451"/>
        <source>The base preset decides what was not measured (norms, anything left out); its own predicted KLD is shown when every format it chooses was measured</source>
        <translation>未测量的部分（归一化层及其他未包含的张量）由基础预设决定；当它选择的每种格式都已测量时，显示其自身的预测 KLD</translation>
    </message>
</context>
<context>
    <name>qs::EvalHistoryModel</name>
    <message>
        <location filename="../widgets/eval_history_model.cpp" line="39"/>
        <source>Original</source>
        <translation>原始模型</translation>
    </message>
    <message>
        <location filename="../widgets/eval_history_model.cpp" line="41"/>
        <source>%1 (RTN stand-in, not solved)</source>
        <translation>%1（RTN 替代，未求解）</translation>
    </message>
    <message>
        <location filename="../widgets/eval_history_model.cpp" line="42"/>
        <source>%1 (solved)</source>
        <translation>%1（已求解）</translation>
    </message>
    <message>
        <location filename="../widgets/eval_history_model.cpp" line="51"/>
        <source>%1 on %2
%3 windows of %4 tokens (%5 protocol), %6 positions scored</source>
        <translation>%1，文本：%2
%3 个窗口，每个 %4 个词元（%5 协议），评分位置 %6 个</translation>
    </message>
    <message>
        <location filename="../widgets/eval_history_model.cpp" line="52"/>
        <source>the built-in text</source>
        <translation>内置文本</translation>
    </message>
    <message>
        <location filename="../widgets/eval_history_model.cpp" line="57"/>
        <source>GPTQ/AWQ formats need calibration: each was rounded to nearest with its bits, group and zero point. Quantize the plan and evaluate the solved result to see what the solver gains.</source>
        <translation>GPTQ/AWQ 格式需要校准：这里每个格式都按其位数、分组和零点做了最近舍入。量化该方案并评估求解结果，才能看到求解器带来的提升。</translation>
    </message>
    <message>
        <location filename="../widgets/eval_history_model.cpp" line="60"/>
        <source>The solved checkpoint written to %1, read back from the folder</source>
        <translation>写入 %1 的求解检查点，从该文件夹读回</translation>
    </message>
    <message>
        <location filename="../widgets/eval_history_model.cpp" line="97"/>
        <source>%1 s</source>
        <translation>%1 秒</translation>
    </message>
    <message>
        <location filename="../widgets/eval_history_model.cpp" line="117"/>
        <source>The weights&apos; bytes under the plan</source>
        <translation>按此方案的权重字节数</translation>
    </message>
    <message>
        <location filename="../widgets/eval_history_model.cpp" line="118"/>
        <source>Bits per weight of the quantized tensors (of every weight for the original)</source>
        <translation>量化张量的每权重比特数（原始模型：所有权重）</translation>
    </message>
    <message>
        <location filename="../widgets/eval_history_model.cpp" line="119"/>
        <source>Perplexity on the evaluation text: lower is better</source>
        <translation>评估文本上的困惑度：越低越好</translation>
    </message>
    <message>
        <location filename="../widgets/eval_history_model.cpp" line="120"/>
        <source>Perplexity minus the unquantized model&apos;s on the same windows</source>
        <translation>困惑度减去未量化模型在相同窗口上的困惑度</translation>
    </message>
    <message>
        <location filename="../widgets/eval_history_model.cpp" line="121"/>
        <source>Mean KL-divergence of the predictions from the unquantized model&apos;s (nats)</source>
        <translation>预测相对未量化模型的平均 KL 散度（nats）</translation>
    </message>
    <message>
        <location filename="../widgets/eval_history_model.cpp" line="122"/>
        <source>99th percentile of the KL-divergence: the worst positions</source>
        <translation>KL 散度的第 99 百分位：最差的位置</translation>
    </message>
    <message>
        <location filename="../widgets/eval_history_model.cpp" line="123"/>
        <source>How often the most likely next token is the unquantized model&apos;s</source>
        <translation>最可能的下一个词元与未量化模型相同的比例</translation>
    </message>
    <message>
        <location filename="../widgets/eval_history_model.cpp" line="124"/>
        <source>How long the evaluation took</source>
        <translation>评估耗时</translation>
    </message>
    <message>
        <location filename="../widgets/eval_history_model.cpp" line="131"/>
        <source>Plan</source>
        <translation>方案</translation>
    </message>
    <message>
        <location filename="../widgets/eval_history_model.cpp" line="132"/>
        <source>Size</source>
        <translation>大小</translation>
    </message>
    <message>
        <location filename="../widgets/eval_history_model.cpp" line="133"/>
        <source>Bits/weight</source>
        <translation>比特/权重</translation>
    </message>
    <message>
        <location filename="../widgets/eval_history_model.cpp" line="134"/>
        <source>PPL</source>
        <translation>困惑度</translation>
    </message>
    <message>
        <location filename="../widgets/eval_history_model.cpp" line="135"/>
        <source>ΔPPL</source>
        <translation>Δ困惑度</translation>
    </message>
    <message>
        <location filename="../widgets/eval_history_model.cpp" line="136"/>
        <source>KLD mean</source>
        <translation>KLD 均值</translation>
    </message>
    <message>
        <location filename="../widgets/eval_history_model.cpp" line="137"/>
        <source>KLD p99</source>
        <translation>KLD p99</translation>
    </message>
    <message>
        <location filename="../widgets/eval_history_model.cpp" line="138"/>
        <source>Top-1 agree</source>
        <translation>Top-1 一致率</translation>
    </message>
    <message>
        <location filename="../widgets/eval_history_model.cpp" line="139"/>
        <source>Time</source>
        <translation>时间</translation>
    </message>
</context>
<context>
    <name>qs::EvaluationPanel</name>
    <message>
        <location filename="../widgets/evaluation_panel.cpp" line="35"/>
        <source>Evaluate on a text</source>
        <translation>在文本上评估</translation>
    </message>
    <message>
        <location filename="../widgets/evaluation_panel.cpp" line="35"/>
        <source>UTF-8 text (*.txt);;All files (*)</source>
        <translation>UTF-8 文本 (*.txt);;所有文件 (*)</translation>
    </message>
    <message>
        <location filename="../widgets/evaluation_panel.cpp" line="112"/>
        <source>Evaluate Plan</source>
        <translation>评估方案</translation>
    </message>
    <message>
        <location filename="../widgets/evaluation_panel.cpp" line="113"/>
        <source>Perplexity and KL-divergence of the model under the current plan, against the unquantized model</source>
        <translation>按当前方案量化后模型的困惑度和 KL 散度，与未量化模型比较</translation>
    </message>
    <message>
        <location filename="../widgets/evaluation_panel.cpp" line="114"/>
        <source>Evaluate Original</source>
        <translation>评估原始模型</translation>
    </message>
    <message>
        <location filename="../widgets/evaluation_panel.cpp" line="115"/>
        <source>Perplexity of the unquantized model: the reference row</source>
        <translation>未量化模型的困惑度：参考行</translation>
    </message>
    <message>
        <location filename="../widgets/evaluation_panel.cpp" line="116"/>
        <source>Evaluate Solved</source>
        <translation>评估求解结果</translation>
    </message>
    <message>
        <location filename="../widgets/evaluation_panel.cpp" line="117"/>
        <source>Quantize the plan (GPTQ/AWQ) first: its solved result is then evaluated here, on the same windows as the plan and the original</source>
        <translation>请先量化方案（GPTQ/AWQ）：随后在此用与方案和原始模型相同的窗口评估其求解结果</translation>
    </message>
    <message>
        <location filename="../widgets/evaluation_panel.cpp" line="119"/>
        <source>Evaluate %1: the written checkpoint, on the same windows as the plan and the original</source>
        <translation>评估 %1：已写入的检查点，使用与方案和原始模型相同的窗口</translation>
    </message>
    <message>
        <location filename="../widgets/evaluation_panel.cpp" line="121"/>
        <source>Text: %1</source>
        <translation>文本：%1</translation>
    </message>
    <message>
        <location filename="../widgets/evaluation_panel.cpp" line="122"/>
        <source>A held-out sample: the 2011 State of the Union address</source>
        <translation>留出样本：2011 年国情咨文</translation>
    </message>
    <message>
        <location filename="../widgets/evaluation_panel.cpp" line="123"/>
        <source>Choose Text…</source>
        <translation>选择文本…</translation>
    </message>
    <message>
        <location filename="../widgets/evaluation_panel.cpp" line="124"/>
        <source>Built-in Text</source>
        <translation>内置文本</translation>
    </message>
    <message>
        <location filename="../widgets/evaluation_panel.cpp" line="126"/>
        <source>Clear</source>
        <translation>清空</translation>
    </message>
    <message>
        <location filename="../widgets/evaluation_panel.cpp" line="127"/>
        <source>Forget the rows of this session</source>
        <translation>清除本次会话的所有行</translation>
    </message>
    <message>
        <location filename="../widgets/evaluation_panel.cpp" line="128"/>
        <source>Evaluation history</source>
        <translation>评估历史</translation>
    </message>
</context>
<context>
    <name>qs::EvaluationSession</name>
    <message>
        <location filename="../widgets/evaluation_session.cpp" line="28"/>
        <source>built-in sample</source>
        <translation>内置样本</translation>
    </message>
</context>
<context>
    <name>qs::FormatDelegate</name>
    <message>
        <location filename="../widgets/format_delegate.cpp" line="53"/>
        <source>Other…</source>
        <translation>其他…</translation>
    </message>
    <message>
        <location filename="../widgets/format_delegate.cpp" line="54"/>
        <source>Another GPTQ, AWQ or RTN format: method, bits, group size, symmetric</source>
        <translation>其他 GPTQ、AWQ 或 RTN 格式：方法、位数、分组大小、对称</translation>
    </message>
    <message>
        <location filename="../widgets/format_delegate.cpp" line="56"/>
        <source>Format</source>
        <translation>格式</translation>
    </message>
    <message>
        <location filename="../widgets/format_delegate.cpp" line="57"/>
        <source>The format: a GGUF type for llama.cpp, or an integer group format (GPTQ, AWQ, RTN) for a Hugging Face checkpoint</source>
        <translation>格式：用于 llama.cpp 的 GGUF 类型，或用于 Hugging Face 检查点的整数分组格式（GPTQ、AWQ、RTN）</translation>
    </message>
</context>
<context>
    <name>qs::GroupFormatDialog</name>
    <message>
        <location filename="../widgets/group_format_dialog.cpp" line="14"/>
        <source>Integer group format</source>
        <translation>整数分组格式</translation>
    </message>
    <message>
        <location filename="../widgets/group_format_dialog.cpp" line="26"/>
        <source>Symmetric (no zero point)</source>
        <translation>对称（无零点）</translation>
    </message>
    <message>
        <location filename="../widgets/group_format_dialog.cpp" line="28"/>
        <source>Method:</source>
        <translation>方法：</translation>
    </message>
    <message>
        <location filename="../widgets/group_format_dialog.cpp" line="29"/>
        <source>Bits:</source>
        <translation>位数：</translation>
    </message>
    <message>
        <location filename="../widgets/group_format_dialog.cpp" line="30"/>
        <source>Group:</source>
        <translation>分组：</translation>
    </message>
    <message>
        <location filename="../widgets/group_format_dialog.cpp" line="76"/>
        <source>GPTQ: error-compensated rounding on calibration text; AWQ: activation-aware scaling; RTN: round to nearest</source>
        <translation>GPTQ：基于校准文本的误差补偿取整；AWQ：感知激活的缩放；RTN：就近取整</translation>
    </message>
    <message>
        <location filename="../widgets/group_format_dialog.cpp" line="79"/>
        <source>%1-bit</source>
        <translation>%1 位</translation>
    </message>
    <message>
        <location filename="../widgets/group_format_dialog.cpp" line="80"/>
        <source>Bits per weight of the integers</source>
        <translation>整数每个权重的位数</translation>
    </message>
    <message>
        <location filename="../widgets/group_format_dialog.cpp" line="85"/>
        <source>per-channel</source>
        <translation>逐通道</translation>
    </message>
    <message>
        <location filename="../widgets/group_format_dialog.cpp" line="87"/>
        <source>Input columns that share one scale: a group size, or one scale per output row (per-channel)</source>
        <translation>共用一个缩放系数的输入列：一个分组大小，或每个输出行一个缩放系数（逐通道）</translation>
    </message>
</context>
<context>
    <name>qs::HeatmapWidget</name>
    <message>
        <location filename="../widgets/heatmap_widget.cpp" line="42"/>
        <source>Error heatmap</source>
        <translation>误差热图</translation>
    </message>
    <message>
        <location filename="../widgets/heatmap_widget.cpp" line="43"/>
        <source>Quantization error over rows (down) and blocks (across): hover for values, wheel to zoom, drag to pan, double-click to see it all</source>
        <translation>按行（纵向）和块（横向）显示的量化误差：悬停查看数值，滚轮缩放，拖动平移，双击查看全部</translation>
    </message>
    <message>
        <location filename="../widgets/heatmap_widget.cpp" line="65"/>
        <source>%1 — this project was saved without the signed error; analyse again to see it</source>
        <translation>%1 —— 此项目保存时没有带符号误差；重新分析即可查看</translation>
    </message>
    <message>
        <location filename="../widgets/heatmap_widget.cpp" line="94"/>
        <source>mean |error| (weight units)</source>
        <translation>平均 |误差|（权重单位）</translation>
    </message>
    <message>
        <location filename="../widgets/heatmap_widget.cpp" line="96"/>
        <source>max |error| (weight units)</source>
        <translation>最大 |误差|（权重单位）</translation>
    </message>
    <message>
        <location filename="../widgets/heatmap_widget.cpp" line="98"/>
        <source>quantization step (weight units)</source>
        <translation>量化步长（权重单位）</translation>
    </message>
    <message>
        <location filename="../widgets/heatmap_widget.cpp" line="102"/>
        <source>signed error Q(W) − W (weight units)</source>
        <translation>带符号误差 Q(W) − W（权重单位）</translation>
    </message>
    <message>
        <location filename="../widgets/heatmap_widget.cpp" line="105"/>
        <source>row</source>
        <translation>行</translation>
    </message>
    <message>
        <location filename="../widgets/heatmap_widget.cpp" line="109"/>
        <source>block along the row (%1 weights each)</source>
        <translation>沿行的块（每块 %1 个权重）</translation>
    </message>
    <message>
        <location filename="../widgets/heatmap_widget.cpp" line="154"/>
        <source>Run an analysis to see where the error lies</source>
        <translation>运行分析以查看误差所在</translation>
    </message>
    <message>
        <location filename="../widgets/heatmap_widget.cpp" line="237"/>
        <source>rows %1-%2, blocks %3-%4: %5</source>
        <translation>行 %1–%2，块 %3–%4：%5</translation>
    </message>
</context>
<context>
    <name>qs::HistogramView</name>
    <message>
        <location filename="../widgets/histogram_view.cpp" line="23"/>
        <source>Weight histogram</source>
        <translation>权重直方图</translation>
    </message>
    <message>
        <location filename="../widgets/histogram_view.cpp" line="24"/>
        <source>How the selected tensor&apos;s weights are distributed, before and after quantization</source>
        <translation>所选张量的权重在量化前后的分布</translation>
    </message>
    <message>
        <location filename="../widgets/histogram_view.cpp" line="108"/>
        <source>error under %1</source>
        <translation>%1 下的误差</translation>
    </message>
    <message>
        <location filename="../widgets/histogram_view.cpp" line="108"/>
        <source>error of the %1</source>
        <translation>%1 的误差</translation>
    </message>
    <message>
        <location filename="../widgets/histogram_view.cpp" line="111"/>
        <source>original</source>
        <translation>原始</translation>
    </message>
    <message>
        <location filename="../widgets/histogram_view.cpp" line="113"/>
        <source>after %1</source>
        <translation>%1 之后</translation>
    </message>
    <message>
        <location filename="../widgets/histogram_view.cpp" line="116"/>
        <source>levels of block %1</source>
        <translation>块 %1 的量化级</translation>
    </message>
    <message>
        <location filename="../widgets/histogram_view.cpp" line="125"/>
        <source>Select a tensor to see its weights</source>
        <translation>选择一个张量以查看其权重</translation>
    </message>
    <message>
        <location filename="../widgets/histogram_view.cpp" line="129"/>
        <source>error (original - quantized)</source>
        <translation>误差（原始 − 量化）</translation>
    </message>
    <message>
        <location filename="../widgets/histogram_view.cpp" line="129"/>
        <source>weight value</source>
        <translation>权重值</translation>
    </message>
    <message>
        <location filename="../widgets/histogram_view.cpp" line="138"/>
        <source>count (log)</source>
        <translation>计数（对数）</translation>
    </message>
    <message>
        <location filename="../widgets/histogram_view.cpp" line="145"/>
        <source>count</source>
        <translation>计数</translation>
    </message>
</context>
<context>
    <name>qs::JobRunner</name>
    <message>
        <location filename="../widgets/job_runner.cpp" line="76"/>
        <location filename="../widgets/job_runner.cpp" line="88"/>
        <source> — %1 of %2</source>
        <translation> —— %1 / %2</translation>
    </message>
    <message>
        <location filename="../widgets/job_runner.cpp" line="79"/>
        <source> — token %1 of %2</source>
        <translation> — 第 %1 个词元，共 %2 个</translation>
    </message>
    <message>
        <location filename="../widgets/job_runner.cpp" line="82"/>
        <source> — layer %1 of %2</source>
        <translation> — 第 %1 层，共 %2 层</translation>
    </message>
    <message>
        <location filename="../widgets/job_runner.cpp" line="85"/>
        <source> — tensor %1 of %2</source>
        <translation> — 第 %1 个张量，共 %2 个</translation>
    </message>
    <message>
        <location filename="../widgets/job_runner.cpp" line="93"/>
        <source>, about %1 s left</source>
        <translation>，约剩 %1 秒</translation>
    </message>
</context>
<context>
    <name>qs::JobStatus</name>
    <message>
        <location filename="../widgets/job_status.cpp" line="52"/>
        <source>Progress</source>
        <translation>进度</translation>
    </message>
    <message>
        <location filename="../widgets/job_status.cpp" line="53"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../widgets/job_status.cpp" line="54"/>
        <source>Stop the running job (Esc)</source>
        <translation>停止正在运行的任务 (Esc)</translation>
    </message>
</context>
<context>
    <name>qs::LayerGroupModel</name>
    <message>
        <location filename="../widgets/layer_group_model.cpp" line="128"/>
        <source>The layer&apos;s error under the plan: the root of its tensors&apos; squared relative errors, weighted by their parameters, over the tensors the analysis measured in their planned format</source>
        <translation>此层在方案下的误差：对分析中以计划格式测量过的张量，按参数量加权的相对误差平方和的平方根</translation>
    </message>
    <message>
        <location filename="../widgets/layer_group_model.cpp" line="145"/>
        <source>Layer %1</source>
        <translation>第 %1 层</translation>
    </message>
    <message>
        <location filename="../widgets/layer_group_model.cpp" line="145"/>
        <source>Model-wide (embeddings, output, norms)</source>
        <translation>全模型（嵌入、输出、归一化）</translation>
    </message>
    <message numerus="yes">
        <location filename="../widgets/layer_group_model.cpp" line="146"/>
        <source>%1 — %n tensor(s)</source>
        <translation>
            <numerusform>%1 —— %n 个张量</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>qs::MainWindow</name>
    <message>
        <location filename="../widgets/main_window.cpp" line="93"/>
        <location filename="../widgets/main_window.cpp" line="822"/>
        <source>Quantscope</source>
        <translation>Quantscope</translation>
    </message>
    <message>
        <location filename="../widgets/main_window.cpp" line="737"/>
        <source>Wrote the hardware report %1</source>
        <translation>已写入硬件报告 %1</translation>
    </message>
    <message>
        <location filename="../widgets/main_window.cpp" line="823"/>
        <source>Error message</source>
        <translation>错误信息</translation>
    </message>
    <message>
        <location filename="../widgets/main_window_menus.cpp" line="72"/>
        <source>Reports (*.html *.pdf *.md *.json)</source>
        <translation>报告 (*.html *.pdf *.md *.json)</translation>
    </message>
    <message>
        <location filename="../widgets/main_window.cpp" line="156"/>
        <source>Analysing %1</source>
        <translation>正在分析 %1</translation>
    </message>
    <message>
        <location filename="../widgets/main_window.cpp" line="307"/>
        <source>Plan: %1</source>
        <translation>方案：%1</translation>
    </message>
    <message>
        <location filename="../widgets/main_window.cpp" line="492"/>
        <source>Wrote %1 (%2)</source>
        <translation>已写入 %1（%2）</translation>
    </message>
    <message>
        <location filename="../widgets/main_window.cpp" line="495"/>
        <source>Export cancelled; nothing was written</source>
        <translation>导出已取消；未写入任何内容</translation>
    </message>
    <message>
        <location filename="../widgets/main_window.cpp" line="243"/>
        <source>Open a model to begin: File ▸ Open Model Folder, or File ▸ Open Demo Model.</source>
        <translation>打开一个模型以开始：文件 ▸ 打开模型文件夹，或 文件 ▸ 打开示例模型。</translation>
    </message>
    <message>
        <location filename="../widgets/main_window_menus.cpp" line="29"/>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <location filename="../widgets/main_window_menus.cpp" line="30"/>
        <source>Open Model &amp;Folder…</source>
        <translation>打开模型文件夹(&amp;F)…</translation>
    </message>
    <message>
        <location filename="../widgets/main_window_menus.cpp" line="31"/>
        <source>Open a Hugging Face model folder</source>
        <translation>打开 Hugging Face 模型文件夹</translation>
    </message>
    <message>
        <location filename="../widgets/main_window_menus.cpp" line="36"/>
        <source>Open a folder with config.json and safetensors files</source>
        <translation>打开包含 config.json 和 safetensors 文件的文件夹</translation>
    </message>
    <message>
        <location filename="../widgets/main_window_menus.cpp" line="37"/>
        <source>Open &amp;GGUF File…</source>
        <translation>打开 GGUF 文件(&amp;G)…</translation>
    </message>
    <message>
        <location filename="../widgets/main_window_menus.cpp" line="38"/>
        <source>Open a GGUF file</source>
        <translation>打开 GGUF 文件</translation>
    </message>
    <message>
        <location filename="../widgets/main_window_menus.cpp" line="38"/>
        <source>GGUF models (*.gguf);;All files (*)</source>
        <translation>GGUF 模型 (*.gguf);;所有文件 (*)</translation>
    </message>
    <message>
        <location filename="../widgets/main_window_menus.cpp" line="43"/>
        <source>Open &amp;Demo Model</source>
        <translation>打开示例模型(&amp;D)</translation>
    </message>
    <message>
        <location filename="../widgets/main_window_menus.cpp" line="45"/>
        <source>Open the built-in 2.6M-parameter demo model (sotu-mini)</source>
        <translation>打开内置的 260 万参数示例模型（sotu-mini）</translation>
    </message>
    <message>
        <location filename="../widgets/main_window_menus.cpp" line="46"/>
        <source>Open &amp;Recent</source>
        <translation>最近打开(&amp;R)</translation>
    </message>
    <message>
        <location filename="../widgets/main_window_menus.cpp" line="48"/>
        <source>Open &amp;Project…</source>
        <translation>打开项目(&amp;P)…</translation>
    </message>
    <message>
        <location filename="../widgets/main_window_menus.cpp" line="49"/>
        <source>Open a Quantscope project</source>
        <translation>打开 Quantscope 项目</translation>
    </message>
    <message>
        <location filename="../widgets/main_window_menus.cpp" line="49"/>
        <source>Quantscope projects (*.qsproj);;All files (*)</source>
        <translation>Quantscope 项目 (*.qsproj);;所有文件 (*)</translation>
    </message>
    <message>
        <location filename="../widgets/main_window_menus.cpp" line="54"/>
        <source>&amp;Save Project…</source>
        <translation>保存项目(&amp;S)…</translation>
    </message>
    <message>
        <location filename="../widgets/main_window_menus.cpp" line="55"/>
        <source>Save the project</source>
        <translation>保存项目</translation>
    </message>
    <message>
        <location filename="../widgets/main_window_menus.cpp" line="55"/>
        <source>Quantscope projects (*.qsproj)</source>
        <translation>Quantscope 项目 (*.qsproj)</translation>
    </message>
    <message>
        <location filename="../widgets/main_window_menus.cpp" line="60"/>
        <source>Save the plan and every measurement, to reopen without recomputing</source>
        <translation>保存方案和全部测量结果，重新打开时无需重新计算</translation>
    </message>
    <message>
        <location filename="../widgets/main_window_menus.cpp" line="62"/>
        <source>&amp;Export GGUF…</source>
        <translation>导出 GGUF(&amp;E)…</translation>
    </message>
    <message>
        <location filename="../widgets/main_window_menus.cpp" line="63"/>
        <source>Export GGUF</source>
        <translation>导出 GGUF</translation>
    </message>
    <message>
        <location filename="../widgets/main_window_menus.cpp" line="63"/>
        <source>GGUF models (*.gguf)</source>
        <translation>GGUF 模型 (*.gguf)</translation>
    </message>
    <message>
        <location filename="../widgets/main_window_menus.cpp" line="68"/>
        <source>Write the model under the current plan as a GGUF file llama.cpp loads</source>
        <translation>按当前方案将模型写为 llama.cpp 可加载的 GGUF 文件</translation>
    </message>
    <message>
        <location filename="../widgets/main_window_menus.cpp" line="70"/>
        <source>Export &amp;Hardware Report…</source>
        <translation>导出硬件报告(&amp;H)…</translation>
    </message>
    <message>
        <location filename="../widgets/main_window_menus.cpp" line="71"/>
        <source>Export Hardware Report</source>
        <translation>导出硬件报告</translation>
    </message>
    <message>
        <location filename="../widgets/main_window_menus.cpp" line="76"/>
        <source>Memory, longest context and speed of the current plan on the chosen device and common GPUs</source>
        <translation>当前方案在所选设备和常见 GPU 上的内存、最长上下文和速度</translation>
    </message>
    <message>
        <location filename="../widgets/main_window_menus.cpp" line="77"/>
        <source>Open &amp;Containing Folder</source>
        <translation>打开所在文件夹(&amp;C)</translation>
    </message>
    <message>
        <location filename="../widgets/main_window_menus.cpp" line="82"/>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <location filename="../widgets/main_window_menus.cpp" line="85"/>
        <source>&amp;Edit</source>
        <translation>编辑(&amp;E)</translation>
    </message>
    <message>
        <location filename="../widgets/main_window_menus.cpp" line="86"/>
        <source>&amp;Undo</source>
        <translation>撤销(&amp;U)</translation>
    </message>
    <message>
        <location filename="../widgets/main_window_menus.cpp" line="88"/>
        <source>&amp;Redo</source>
        <translation>重做(&amp;R)</translation>
    </message>
    <message>
        <location filename="../widgets/main_window_menus.cpp" line="94"/>
        <source>&amp;Plan</source>
        <translation>方案(&amp;P)</translation>
    </message>
    <message>
        <location filename="../widgets/main_window_menus.cpp" line="95"/>
        <source>&amp;Load Plan…</source>
        <translation>载入方案(&amp;L)…</translation>
    </message>
    <message>
        <location filename="../widgets/main_window_menus.cpp" line="96"/>
        <source>Load a plan</source>
        <translation>载入方案</translation>
    </message>
    <message>
        <location filename="../widgets/main_window_menus.cpp" line="96"/>
        <location filename="../widgets/main_window_menus.cpp" line="102"/>
        <source>Quantscope plans (*.json)</source>
        <translation>Quantscope 方案 (*.json)</translation>
    </message>
    <message>
        <location filename="../widgets/main_window_menus.cpp" line="100"/>
        <source>Replace the plan with one saved as JSON (undoable)</source>
        <translation>用保存为 JSON 的方案替换当前方案（可撤销）</translation>
    </message>
    <message>
        <location filename="../widgets/main_window_menus.cpp" line="101"/>
        <source>&amp;Save Plan…</source>
        <translation>保存方案(&amp;S)…</translation>
    </message>
    <message>
        <location filename="../widgets/main_window_menus.cpp" line="102"/>
        <source>Save the plan</source>
        <translation>保存方案</translation>
    </message>
    <message>
        <location filename="../widgets/main_window_menus.cpp" line="106"/>
        <source>Write the plan as JSON: quantscope-cli quantize --plan FILE applies it</source>
        <translation>将方案写为 JSON：quantscope-cli quantize --plan 文件 可应用它</translation>
    </message>
    <message>
        <location filename="../widgets/main_window_menus.cpp" line="107"/>
        <source>&amp;Copy llama-quantize Arguments</source>
        <translation>复制 llama-quantize 参数(&amp;C)</translation>
    </message>
    <message>
        <location filename="../widgets/main_window_menus.cpp" line="109"/>
        <source>This plan holds GPTQ/AWQ choices, which llama-quantize cannot express.</source>
        <translation>此方案包含 GPTQ/AWQ 选择，llama-quantize 无法表达。</translation>
    </message>
    <message>
        <location filename="../widgets/main_window_menus.cpp" line="113"/>
        <source>Copied: %1</source>
        <translation>已复制：%1</translation>
    </message>
    <message>
        <location filename="../widgets/main_window_menus.cpp" line="115"/>
        <source>The same plan as llama-quantize arguments (--tensor-type rules for the choices made here)</source>
        <translation>同一方案的 llama-quantize 参数（此处所做选择对应的 --tensor-type 规则）</translation>
    </message>
    <message>
        <location filename="../widgets/main_window_menus.cpp" line="117"/>
        <source>&amp;Analysis</source>
        <translation>分析(&amp;A)</translation>
    </message>
    <message>
        <location filename="../widgets/main_window_menus.cpp" line="118"/>
        <source>&amp;Analyze Tensors</source>
        <translation>分析张量(&amp;A)</translation>
    </message>
    <message>
        <location filename="../widgets/main_window_menus.cpp" line="120"/>
        <source>Measure every tensor&apos;s statistics and the error of Q4_K, Q6_K, Q8_0 and int4-g128-asym</source>
        <translation>测量每个张量的统计量以及 Q4_K、Q6_K、Q8_0 和 int4-g128-asym 的误差</translation>
    </message>
    <message>
        <location filename="../widgets/main_window_menus.cpp" line="121"/>
        <source>Measure &amp;Sensitivity</source>
        <translation>测量敏感度(&amp;S)</translation>
    </message>
    <message>
        <location filename="../widgets/main_window_menus.cpp" line="122"/>
        <source>For every weight and Q2_K, Q4_K, Q6_K: the KL-divergence when only that weight is quantized, on the built-in text; saved with the project</source>
        <translation>对每个权重及 Q2_K、Q4_K、Q6_K：仅量化该权重时在内置文本上的 KL 散度；随项目保存</translation>
    </message>
    <message>
        <location filename="../widgets/main_window_menus.cpp" line="125"/>
        <source>The plan of least measured damage within a size, from the measured sensitivity, re-solved as the budget moves</source>
        <translation>在给定大小内测得损伤最小的方案，依据测得的敏感度，随预算变化实时重新求解</translation>
    </message>
    <message>
        <location filename="../widgets/main_window_menus.cpp" line="128"/>
        <source>&amp;Evaluate Plan</source>
        <translation>评估方案(&amp;E)</translation>
    </message>
    <message>
        <location filename="../widgets/main_window_menus.cpp" line="130"/>
        <source>Perplexity and KL-divergence of the model under the current plan, against the unquantized model</source>
        <translation>按当前方案量化后模型的困惑度和 KL 散度，与未量化模型比较</translation>
    </message>
    <message>
        <location filename="../widgets/main_window_menus.cpp" line="132"/>
        <source>Evaluate &amp;Original</source>
        <translation>评估原始模型(&amp;O)</translation>
    </message>
    <message>
        <location filename="../widgets/main_window_menus.cpp" line="133"/>
        <source>Perplexity of the unquantized model: the reference row of the evaluation history</source>
        <translation>未量化模型的困惑度：评估历史中的参考行</translation>
    </message>
    <message>
        <location filename="../widgets/main_window_menus.cpp" line="134"/>
        <source>Evaluation &amp;Text…</source>
        <translation>评估文本(&amp;T)…</translation>
    </message>
    <message>
        <location filename="../widgets/main_window_menus.cpp" line="135"/>
        <source>Evaluate on a text</source>
        <translation>在文本上评估</translation>
    </message>
    <message>
        <location filename="../widgets/main_window_menus.cpp" line="135"/>
        <source>UTF-8 text (*.txt);;All files (*)</source>
        <translation>UTF-8 文本 (*.txt);;所有文件 (*)</translation>
    </message>
    <message>
        <location filename="../widgets/main_window_menus.cpp" line="139"/>
        <source>&amp;Built-in Evaluation Text</source>
        <translation>内置评估文本(&amp;B)</translation>
    </message>
    <message>
        <location filename="../widgets/main_window_menus.cpp" line="140"/>
        <source>&amp;Predict Next Token</source>
        <translation>预测下一个词元(&amp;P)</translation>
    </message>
    <message>
        <location filename="../widgets/main_window_menus.cpp" line="143"/>
        <source>&amp;Cancel</source>
        <translation>取消(&amp;C)</translation>
    </message>
    <message>
        <location filename="../widgets/main_window_menus.cpp" line="146"/>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <location filename="../widgets/main_window_menus.cpp" line="153"/>
        <source>&amp;Settings</source>
        <translation>设置(&amp;S)</translation>
    </message>
    <message>
        <location filename="../widgets/main_window_menus.cpp" line="154"/>
        <source>&amp;Threads…</source>
        <translation>线程(&amp;T)…</translation>
    </message>
    <message>
        <location filename="../widgets/main_window_menus.cpp" line="156"/>
        <source>Threads</source>
        <translation>线程</translation>
    </message>
    <message>
        <location filename="../widgets/main_window_menus.cpp" line="156"/>
        <source>Worker threads (0: every hardware thread):</source>
        <translation>工作线程数（0：使用全部硬件线程）：</translation>
    </message>
    <message>
        <location filename="../widgets/main_window_menus.cpp" line="160"/>
        <source>&amp;Output Folder…</source>
        <translation>输出文件夹(&amp;O)…</translation>
    </message>
    <message>
        <location filename="../widgets/main_window_menus.cpp" line="161"/>
        <source>Where exports go by default</source>
        <translation>默认导出位置</translation>
    </message>
    <message>
        <location filename="../widgets/main_window_menus.cpp" line="165"/>
        <source>&amp;Dark Theme</source>
        <translation>深色主题(&amp;D)</translation>
    </message>
    <message>
        <location filename="../widgets/main_window_menus.cpp" line="168"/>
        <source>&amp;Language</source>
        <translation>语言(&amp;L)</translation>
    </message>
    <message>
        <location filename="../widgets/main_window_menus.cpp" line="178"/>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <location filename="../widgets/main_window_menus.cpp" line="179"/>
        <source>&amp;About Quantscope</source>
        <translation>关于 Quantscope(&amp;A)</translation>
    </message>
    <message>
        <location filename="../widgets/main_window_menus.cpp" line="180"/>
        <source>About Quantscope</source>
        <translation>关于 Quantscope</translation>
    </message>
    <message>
        <location filename="../widgets/main_window_menus.cpp" line="181"/>
        <source>&lt;b&gt;Quantscope %1&lt;/b&gt;&lt;p&gt;A quantization studio for large language models.&lt;/p&gt;</source>
        <translation>&lt;b&gt;Quantscope %1&lt;/b&gt;&lt;p&gt;大语言模型量化工作室。&lt;/p&gt;</translation>
    </message>
    <message>
        <location filename="../widgets/main_window.cpp" line="324"/>
        <source>The built-in demo model is not installed. Set QUANTSCOPE_DEMO_MODEL to its folder.</source>
        <translation>未安装内置示例模型。请将 QUANTSCOPE_DEMO_MODEL 设置为其文件夹。</translation>
    </message>
    <message>
        <location filename="../widgets/main_window.cpp" line="334"/>
        <source>Opening %1…</source>
        <translation>正在打开 %1…</translation>
    </message>
    <message>
        <location filename="../widgets/main_window.cpp" line="354"/>
        <source>Could not open %1:
%2</source>
        <translation>无法打开 %1：
%2</translation>
    </message>
    <message>
        <location filename="../widgets/main_window.cpp" line="359"/>
        <source>Open failed</source>
        <translation>打开失败</translation>
    </message>
    <message>
        <location filename="../widgets/main_window.cpp" line="381"/>
        <source>%1 — Quantscope</source>
        <translation>%1 — Quantscope</translation>
    </message>
    <message>
        <location filename="../widgets/main_window.cpp" line="382"/>
        <source>%1: %2 tensors, %3 parameters</source>
        <translation>%1：%2 个张量，%3 个参数</translation>
    </message>
    <message>
        <location filename="../widgets/main_window.cpp" line="386"/>
        <source>Opened %1: %2 tensors</source>
        <translation>已打开 %1：%2 个张量</translation>
    </message>
    <message>
        <location filename="../widgets/main_window.cpp" line="392"/>
        <source>The model changed since %1 was saved (%2): its measurements were not loaded; analyse again.</source>
        <translation>自 %1 保存以来模型已更改（%2）：未加载其测量结果；请重新分析。</translation>
    </message>
    <message>
        <location filename="../widgets/main_window.cpp" line="406"/>
        <source>Opened the project %1</source>
        <translation>已打开项目 %1</translation>
    </message>
    <message>
        <location filename="../widgets/main_window.cpp" line="420"/>
        <source>%1 failed</source>
        <translation>%1失败</translation>
    </message>
    <message>
        <location filename="../widgets/main_window.cpp" line="421"/>
        <source>%1 failed:
%2</source>
        <translation>%1失败：
%2</translation>
    </message>
    <message>
        <location filename="../widgets/main_window.cpp" line="424"/>
        <source>%1 cancelled</source>
        <translation>%1已取消</translation>
    </message>
    <message>
        <location filename="../widgets/main_window.cpp" line="459"/>
        <source>The analysis</source>
        <translation>分析</translation>
    </message>
    <message>
        <location filename="../widgets/main_window.cpp" line="462"/>
        <source>Analysing…</source>
        <translation>正在分析…</translation>
    </message>
    <message>
        <location filename="../widgets/main_window.cpp" line="493"/>
        <source>The export</source>
        <translation>导出</translation>
    </message>
    <message>
        <location filename="../widgets/main_window.cpp" line="499"/>
        <source>Writing %1…</source>
        <translation>正在写入 %1…</translation>
    </message>
    <message>
        <location filename="../widgets/main_window.cpp" line="564"/>
        <source>Measured the sensitivity of %1 weights in %2 formats in %3 s</source>
        <translation>已测量 %1 个权重在 %2 种格式下的敏感度，用时 %3 秒</translation>
    </message>
    <message>
        <location filename="../widgets/main_window.cpp" line="569"/>
        <source>The sensitivity measurement</source>
        <translation>敏感度测量</translation>
    </message>
    <message>
        <location filename="../widgets/main_window.cpp" line="572"/>
        <source>Measuring the sensitivity on the built-in text…</source>
        <translation>正在内置文本上测量敏感度…</translation>
    </message>
    <message>
        <location filename="../widgets/main_window.cpp" line="585"/>
        <source>Open a Hugging Face model folder to quantize it with GPTQ or AWQ</source>
        <translation>打开 Hugging Face 模型文件夹，以便用 GPTQ 或 AWQ 量化</translation>
    </message>
    <message>
        <location filename="../widgets/main_window.cpp" line="587"/>
        <source>GPTQ/AWQ checkpoints are made from a Hugging Face model folder (16- or 32-bit weights), not a GGUF file</source>
        <translation>GPTQ/AWQ 检查点由 Hugging Face 模型文件夹（16 位或 32 位权重）生成，而不是 GGUF 文件</translation>
    </message>
    <message>
        <location filename="../widgets/main_window.cpp" line="589"/>
        <source>The plan names no GPTQ, AWQ or RTN formats: load a plan with group formats (Plan ▸ Load Plan…)</source>
        <translation>该方案没有 GPTQ、AWQ 或 RTN 格式：请加载含分组格式的方案（方案 ▸ 载入方案…）</translation>
    </message>
    <message>
        <location filename="../widgets/main_window.cpp" line="591"/>
        <source>A quantization is running</source>
        <translation>量化正在运行</translation>
    </message>
    <message>
        <location filename="../widgets/main_window.cpp" line="593"/>
        <source>Calibrate, solve the plan&apos;s GPTQ/AWQ formats and write the checkpoint folder transformers and vLLM load</source>
        <translation>校准、求解方案中的 GPTQ/AWQ 格式，并写出 transformers 和 vLLM 可加载的检查点文件夹</translation>
    </message>
    <message>
        <location filename="../widgets/main_window.cpp" line="602"/>
        <source>Evaluate the checkpoint written to %1 against the unquantized model</source>
        <translation>对照未量化模型评估写入 %1 的检查点</translation>
    </message>
    <message>
        <location filename="../widgets/main_window.cpp" line="603"/>
        <source>Quantize the plan first: there is no solved result to evaluate</source>
        <translation>请先量化方案：还没有可评估的求解结果</translation>
    </message>
    <message>
        <location filename="../widgets/main_window.cpp" line="604"/>
        <location filename="../widgets/main_window.cpp" line="689"/>
        <source>%1 (solved)</source>
        <translation>%1（已求解）</translation>
    </message>
    <message>
        <location filename="../widgets/main_window.cpp" line="650"/>
        <source>Wrote %1 (%2): %3 quantized weights in %4 s; every tensor reads back as solved</source>
        <translation>已写入 %1（%2）：%3 个量化权重，用时 %4 秒；每个张量读回均与求解结果一致</translation>
    </message>
    <message numerus="yes">
        <location filename="../widgets/main_window.cpp" line="654"/>
        <source> (the first %n layer(s) came from an earlier run that did not finish)</source>
        <translation>
            <numerusform>（前 %n 层来自先前未完成的运行）</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../widgets/main_window.cpp" line="656"/>
        <source>The quantization</source>
        <translation>量化</translation>
    </message>
    <message>
        <location filename="../widgets/main_window.cpp" line="658"/>
        <source>Quantization cancelled; nothing was written to %1</source>
        <translation>量化已取消；未向 %1 写入任何内容</translation>
    </message>
    <message>
        <location filename="../widgets/main_window.cpp" line="668"/>
        <source>Quantizing %1 into %2…</source>
        <translation>正在将 %1 量化到 %2…</translation>
    </message>
    <message>
        <location filename="../widgets/main_window.cpp" line="684"/>
        <source>Quantize the plan first: there is no solved result to evaluate.</source>
        <translation>请先量化方案：还没有可评估的求解结果。</translation>
    </message>
    <message>
        <location filename="../widgets/main_window.cpp" line="826"/>
        <source>Evaluation</source>
        <translation>评估</translation>
    </message>
    <message>
        <location filename="../widgets/main_window.cpp" line="827"/>
        <source>Next Token</source>
        <translation>下一个词元</translation>
    </message>
    <message>
        <location filename="../widgets/main_window.cpp" line="828"/>
        <source>Fit to Budget</source>
        <translation>按预算适配</translation>
    </message>
    <message>
        <location filename="../widgets/main_window.cpp" line="833"/>
        <source>&amp;Quantize (GPTQ/AWQ)…</source>
        <translation>量化(&amp;Q)（GPTQ/AWQ）…</translation>
    </message>
    <message>
        <location filename="../widgets/main_window.cpp" line="834"/>
        <source>Quantize…</source>
        <translation>量化…</translation>
    </message>
    <message>
        <location filename="../widgets/main_window.cpp" line="835"/>
        <source>Evaluate &amp;Solved Result</source>
        <translation>评估求解结果(&amp;S)</translation>
    </message>
    <message>
        <location filename="../widgets/main_window.cpp" line="458"/>
        <source>Analysed %1 tensors in %2 s</source>
        <translation>已在 %2 秒内分析 %1 个张量</translation>
    </message>
    <message>
        <location filename="../widgets/main_window.cpp" line="160"/>
        <source>Evaluating %1</source>
        <translation>正在评估 %1</translation>
    </message>
    <message>
        <location filename="../widgets/main_window.cpp" line="162"/>
        <source>Predicting with %1</source>
        <translation>正在用 %1 预测</translation>
    </message>
    <message>
        <location filename="../widgets/main_window.cpp" line="165"/>
        <source>Measuring %1</source>
        <translation>正在测量 %1</translation>
    </message>
    <message>
        <location filename="../widgets/main_window.cpp" line="172"/>
        <source>Quantizing %1</source>
        <translation>正在量化 %1</translation>
    </message>
    <message>
        <location filename="../widgets/main_window.cpp" line="547"/>
        <source>the original model</source>
        <translation>原始模型</translation>
    </message>
    <message>
        <location filename="../widgets/main_window.cpp" line="530"/>
        <source>Evaluated %1: perplexity %2</source>
        <translation>已评估 %1：困惑度 %2</translation>
    </message>
    <message>
        <location filename="../widgets/main_window.cpp" line="532"/>
        <source>The evaluation</source>
        <translation>评估</translation>
    </message>
    <message>
        <location filename="../widgets/main_window.cpp" line="522"/>
        <source>Evaluating %1 on %2…</source>
        <translation>正在 %2 上评估 %1…</translation>
    </message>
    <message>
        <location filename="../widgets/main_window.cpp" line="705"/>
        <source>Saved the plan to %1</source>
        <translation>方案已保存到 %1</translation>
    </message>
    <message>
        <location filename="../widgets/main_window.cpp" line="715"/>
        <source>Loaded the plan %1</source>
        <translation>已载入方案 %1</translation>
    </message>
    <message>
        <location filename="../widgets/main_window.cpp" line="768"/>
        <source>Could not save the project:
%1</source>
        <translation>无法保存项目：
%1</translation>
    </message>
    <message>
        <location filename="../widgets/main_window.cpp" line="772"/>
        <source>Saved %1</source>
        <translation>已保存 %1</translation>
    </message>
    <message>
        <location filename="../widgets/main_window.cpp" line="781"/>
        <source>Could not open the project:
%1</source>
        <translation>无法打开项目：
%1</translation>
    </message>
    <message>
        <location filename="../widgets/main_window.cpp" line="157"/>
        <source>Writing %1</source>
        <translation>正在写入 %1</translation>
    </message>
    <message>
        <location filename="../widgets/main_window.cpp" line="825"/>
        <location filename="../widgets/main_window.cpp" line="837"/>
        <source>Log</source>
        <translation>日志</translation>
    </message>
</context>
<context>
    <name>qs::MemoryPanel</name>
    <message>
        <location filename="../widgets/memory_panel.cpp" line="127"/>
        <source>the budget</source>
        <translation>预算</translation>
    </message>
    <message>
        <location filename="../widgets/memory_panel.cpp" line="168"/>
        <source>A GPTQ/AWQ plan runs on transformers or vLLM: pick one of them</source>
        <translation>GPTQ/AWQ 方案在 transformers 或 vLLM 上运行：请选择其一</translation>
    </message>
    <message>
        <location filename="../widgets/memory_panel.cpp" line="174"/>
        <source>%1 loads Hugging Face checkpoints, not GGUF files</source>
        <translation>%1 加载 Hugging Face 检查点，而不是 GGUF 文件</translation>
    </message>
    <message>
        <location filename="../widgets/memory_panel.cpp" line="197"/>
        <source>%1 at %2 tokens, %3</source>
        <translation>%1，%2 个词元，%3</translation>
    </message>
    <message>
        <location filename="../widgets/memory_panel.cpp" line="204"/>
        <source>Open a model first</source>
        <translation>请先打开一个模型</translation>
    </message>
    <message>
        <location filename="../widgets/memory_panel.cpp" line="225"/>
        <source>Device:</source>
        <translation>设备：</translation>
    </message>
    <message>
        <location filename="../widgets/memory_panel.cpp" line="226"/>
        <source>Custom budget</source>
        <translation>自定义预算</translation>
    </message>
    <message>
        <location filename="../widgets/memory_panel.cpp" line="227"/>
        <source>Device</source>
        <translation>设备</translation>
    </message>
    <message>
        <location filename="../widgets/memory_panel.cpp" line="228"/>
        <source>Runtime</source>
        <translation>运行时</translation>
    </message>
    <message>
        <location filename="../widgets/memory_panel.cpp" line="229"/>
        <source>What runs the model: llama.cpp the GGUF plan; transformers or vLLM the checkpoint as stored, or the plan&apos;s GPTQ/AWQ choice</source>
        <translation>由谁运行模型：llama.cpp 运行 GGUF 方案；transformers 或 vLLM 运行原样存储的检查点或方案中的 GPTQ/AWQ 选择</translation>
    </message>
    <message>
        <location filename="../widgets/memory_panel.cpp" line="231"/>
        <source>The device the plan must fit: memory, context and speed are estimated for it</source>
        <translation>方案需要适配的设备：为其估算内存、上下文和速度</translation>
    </message>
    <message>
        <location filename="../widgets/memory_panel.cpp" line="232"/>
        <source>Budget:</source>
        <translation>预算：</translation>
    </message>
    <message>
        <location filename="../widgets/memory_panel.cpp" line="233"/>
        <source> MiB</source>
        <translation> MiB</translation>
    </message>
    <message>
        <location filename="../widgets/memory_panel.cpp" line="234"/>
        <source>Memory budget</source>
        <translation>内存预算</translation>
    </message>
    <message>
        <location filename="../widgets/memory_panel.cpp" line="235"/>
        <source>The memory of a device not in the list</source>
        <translation>列表中没有的设备的内存</translation>
    </message>
    <message>
        <location filename="../widgets/memory_panel.cpp" line="236"/>
        <source>Context:</source>
        <translation>上下文：</translation>
    </message>
    <message>
        <location filename="../widgets/memory_panel.cpp" line="237"/>
        <source>Context length</source>
        <translation>上下文长度</translation>
    </message>
    <message>
        <location filename="../widgets/memory_panel.cpp" line="238"/>
        <source>Tokens the KV cache holds (llama.cpp, f16 cache)</source>
        <translation>KV 缓存容纳的词元数（llama.cpp，f16 缓存）</translation>
    </message>
</context>
<context>
    <name>qs::ModelCard</name>
    <message>
        <location filename="../widgets/model_card.cpp" line="16"/>
        <source>Model card</source>
        <translation>模型信息</translation>
    </message>
    <message>
        <location filename="../widgets/model_card.cpp" line="33"/>
        <location filename="../widgets/model_card.cpp" line="37"/>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <location filename="../widgets/model_card.cpp" line="33"/>
        <source>No model open. Use File ▸ Open, drop a folder or .gguf file here, or open the demo model.</source>
        <translation>尚未打开模型。请使用 文件 ▸ 打开，将文件夹或 .gguf 文件拖到此处，或打开示例模型。</translation>
    </message>
    <message>
        <location filename="../widgets/model_card.cpp" line="38"/>
        <source>Format</source>
        <translation>格式</translation>
    </message>
    <message>
        <location filename="../widgets/model_card.cpp" line="39"/>
        <source>GGUF v%1</source>
        <translation>GGUF v%1</translation>
    </message>
    <message>
        <location filename="../widgets/model_card.cpp" line="40"/>
        <source>Hugging Face safetensors, one file</source>
        <translation>Hugging Face safetensors，单个文件</translation>
    </message>
    <message>
        <location filename="../widgets/model_card.cpp" line="41"/>
        <source>Hugging Face safetensors, %1 shards</source>
        <translation>Hugging Face safetensors，%1 个分片</translation>
    </message>
    <message>
        <location filename="../widgets/model_card.cpp" line="42"/>
        <source>Architecture</source>
        <translation>架构</translation>
    </message>
    <message>
        <location filename="../widgets/model_card.cpp" line="43"/>
        <source>Layers</source>
        <translation>层数</translation>
    </message>
    <message>
        <location filename="../widgets/model_card.cpp" line="44"/>
        <source>Hidden size</source>
        <translation>隐藏维度</translation>
    </message>
    <message>
        <location filename="../widgets/model_card.cpp" line="45"/>
        <source>%1 / %2 KV</source>
        <translation>%1 / %2 KV</translation>
    </message>
    <message>
        <location filename="../widgets/model_card.cpp" line="47"/>
        <source> (GQA %1:1)</source>
        <translation>（GQA %1:1）</translation>
    </message>
    <message>
        <location filename="../widgets/model_card.cpp" line="48"/>
        <source>Heads</source>
        <translation>注意力头</translation>
    </message>
    <message>
        <location filename="../widgets/model_card.cpp" line="48"/>
        <source>Query heads / key-value heads</source>
        <translation>查询头 / 键值头</translation>
    </message>
    <message>
        <location filename="../widgets/model_card.cpp" line="49"/>
        <source>Head dim</source>
        <translation>头维度</translation>
    </message>
    <message>
        <location filename="../widgets/model_card.cpp" line="50"/>
        <source>FFN size</source>
        <translation>前馈维度</translation>
    </message>
    <message>
        <location filename="../widgets/model_card.cpp" line="51"/>
        <source>Vocabulary</source>
        <translation>词表</translation>
    </message>
    <message>
        <location filename="../widgets/model_card.cpp" line="52"/>
        <source>Context</source>
        <translation>上下文</translation>
    </message>
    <message>
        <location filename="../widgets/model_card.cpp" line="53"/>
        <source>Embeddings</source>
        <translation>嵌入</translation>
    </message>
    <message>
        <location filename="../widgets/model_card.cpp" line="53"/>
        <source>tied to the output</source>
        <translation>与输出共享</translation>
    </message>
    <message>
        <location filename="../widgets/model_card.cpp" line="53"/>
        <source>separate output head</source>
        <translation>独立输出头</translation>
    </message>
    <message>
        <location filename="../widgets/model_card.cpp" line="54"/>
        <source>Parameters</source>
        <translation>参数</translation>
    </message>
    <message>
        <location filename="../widgets/model_card.cpp" line="55"/>
        <source>Storage</source>
        <translation>存储格式</translation>
    </message>
    <message>
        <location filename="../widgets/model_card.cpp" line="56"/>
        <source>The storage type holding most of the weight bytes</source>
        <translation>占权重字节最多的存储格式</translation>
    </message>
    <message>
        <location filename="../widgets/model_card.cpp" line="57"/>
        <source>Size on disk</source>
        <translation>磁盘占用</translation>
    </message>
    <message>
        <location filename="../widgets/model_card.cpp" line="58"/>
        <source>Tensors</source>
        <translation>张量</translation>
    </message>
    <message>
        <location filename="../widgets/model_card.cpp" line="60"/>
        <source>Warning</source>
        <translation>警告</translation>
    </message>
</context>
<context>
    <name>qs::ModelMapWidget</name>
    <message>
        <location filename="../widgets/model_map_widget.cpp" line="60"/>
        <source>Model bits map</source>
        <translation>模型位数图</translation>
    </message>
    <message>
        <location filename="../widgets/model_map_widget.cpp" line="61"/>
        <source>Bits per weight each tensor gets under the plan: the embedding, the layers down with tensor kinds across, the output; click to select</source>
        <translation>每个张量在方案下获得的每权重位数：嵌入层，各层自上而下、张量种类从左到右，输出层；点击可选中</translation>
    </message>
    <message>
        <location filename="../widgets/model_map_widget.cpp" line="64"/>
        <source>Model sensitivity map</source>
        <translation>模型敏感度图</translation>
    </message>
    <message>
        <location filename="../widgets/model_map_widget.cpp" line="65"/>
        <source>Measured KL-divergence when only that tensor is quantized: the embedding, the layers down with tensor kinds across, the output; click to select</source>
        <translation>仅量化该张量时测得的 KL 散度：嵌入层，各层纵向排列、张量类型横向排列，输出层；点击以选择</translation>
    </message>
    <message>
        <location filename="../widgets/model_map_widget.cpp" line="68"/>
        <source>Model error map</source>
        <translation>模型误差图</translation>
    </message>
    <message>
        <location filename="../widgets/model_map_widget.cpp" line="69"/>
        <source>Relative error of each tensor under the plan: the embedding, the layers down with tensor kinds across, the output; click to select</source>
        <translation>方案下每个张量的相对误差：嵌入层，各层纵向排列、张量类型横向排列，输出层；点击以选择</translation>
    </message>
    <message>
        <location filename="../widgets/model_map_widget.cpp" line="214"/>
        <source>Bits per weight each tensor gets under the plan (its planned bytes over its weights)</source>
        <translation>每个张量在方案下获得的每权重位数（其计划字节数除以其权重数）</translation>
    </message>
    <message>
        <location filename="../widgets/model_map_widget.cpp" line="217"/>
        <source>Measured sensitivity: not measured yet</source>
        <translation>测得的敏感度：尚未测量</translation>
    </message>
    <message>
        <location filename="../widgets/model_map_widget.cpp" line="218"/>
        <source>KL-divergence from the unquantized model when only that tensor is quantized as %1 (%2 windows of %3 tokens)</source>
        <translation>仅将该张量量化为 %1 时相对未量化模型的 KL 散度（%2 个窗口，每个 %3 个词元）</translation>
    </message>
    <message>
        <location filename="../widgets/model_map_widget.cpp" line="222"/>
        <source>Relative error ‖Q(W) − W‖ / ‖W‖ of each tensor in the format the plan gives it</source>
        <translation>每个张量在方案所定格式下的相对误差 ‖Q(W) − W‖ / ‖W‖</translation>
    </message>
    <message>
        <location filename="../widgets/model_map_widget.cpp" line="228"/>
        <source>bits per weight (log scale)</source>
        <translation>每权重位数（对数刻度）</translation>
    </message>
    <message>
        <location filename="../widgets/model_map_widget.cpp" line="229"/>
        <source>relative error (%)</source>
        <translation>相对误差（%）</translation>
    </message>
    <message>
        <location filename="../widgets/model_map_widget.cpp" line="229"/>
        <source>measured KLD (log scale)</source>
        <translation>测得的 KLD（对数刻度）</translation>
    </message>
    <message>
        <location filename="../widgets/model_map_widget.cpp" line="250"/>
        <location filename="../widgets/model_map_widget.cpp" line="357"/>
        <source>layer %1</source>
        <translation>第 %1 层</translation>
    </message>
    <message>
        <location filename="../widgets/model_map_widget.cpp" line="327"/>
        <source>Open a model to see where the plan puts its bits</source>
        <translation>打开模型以查看方案把位数用在了哪里</translation>
    </message>
    <message>
        <location filename="../widgets/model_map_widget.cpp" line="329"/>
        <source>Measure the sensitivity (Analysis ▸ Measure Sensitivity) to see how much each tensor matters</source>
        <translation>测量敏感度（分析 ▸ 测量敏感度）以查看每个张量的重要程度</translation>
    </message>
    <message>
        <location filename="../widgets/model_map_widget.cpp" line="330"/>
        <source>Run an analysis to see the model&apos;s error map under the plan</source>
        <translation>运行分析以查看方案下模型的误差图</translation>
    </message>
    <message>
        <location filename="../widgets/model_map_widget.cpp" line="434"/>
        <source>%1: n/a — not measured</source>
        <translation>%1：不适用——未测量</translation>
    </message>
    <message>
        <location filename="../widgets/model_map_widget.cpp" line="436"/>
        <source>%1 (%2), the only tensor quantized:</source>
        <translation>%1（%2），仅量化此张量：</translation>
    </message>
    <message>
        <location filename="../widgets/model_map_widget.cpp" line="441"/>
        <source>%1: n/a — the format cannot hold this tensor</source>
        <translation>%1：不适用——该格式无法容纳此张量</translation>
    </message>
    <message>
        <location filename="../widgets/model_map_widget.cpp" line="444"/>
        <source>%1: KLD %2, top-1 agreement %3, ΔNLL %4</source>
        <translation>%1：KLD %2，Top-1 一致率 %3，ΔNLL %4</translation>
    </message>
    <message>
        <location filename="../widgets/model_map_widget.cpp" line="455"/>
        <source>%1: n/a — no such tensor in the plan</source>
        <translation>%1：不适用——方案中没有此张量</translation>
    </message>
    <message>
        <location filename="../widgets/model_map_widget.cpp" line="456"/>
        <source>%1 as %2: %3 bits per weight (%4)</source>
        <translation>%1 为 %2：每权重 %3 位（%4）</translation>
    </message>
    <message>
        <location filename="../widgets/model_map_widget.cpp" line="463"/>
        <source>%1: n/a — the source is already quantized, so there are no original weights to compare with</source>
        <translation>%1：不适用——源已量化，没有可比较的原始权重</translation>
    </message>
    <message>
        <location filename="../widgets/model_map_widget.cpp" line="465"/>
        <source>%1: n/a — not measured in the planned format</source>
        <translation>%1：不适用——未以计划的格式测量</translation>
    </message>
    <message>
        <location filename="../widgets/model_map_widget.cpp" line="467"/>
        <source>%1: %2 relative error</source>
        <translation>%1：相对误差 %2</translation>
    </message>
    <message>
        <location filename="../widgets/model_map_widget.cpp" line="468"/>
        <source>%1 as %2: %3 relative error</source>
        <translation>%1 采用 %2：相对误差 %3</translation>
    </message>
    <message>
        <location filename="../widgets/model_map_widget.cpp" line="476"/>
        <source>layer %1 %2</source>
        <translation>第 %1 层 %2</translation>
    </message>
</context>
<context>
    <name>qs::NextTokenView</name>
    <message numerus="yes">
        <location filename="../widgets/next_token_view.cpp" line="192"/>
        <source>The prompt is %n token(s).</source>
        <translation>
            <numerusform>提示词共 %n 个词元。</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../widgets/next_token_view.cpp" line="204"/>
        <source>&amp;Prompt:</source>
        <translation>提示词(&amp;P)：</translation>
    </message>
    <message>
        <location filename="../widgets/next_token_view.cpp" line="205"/>
        <source>Text the model continues; Enter predicts</source>
        <translation>模型要续写的文本；按回车预测</translation>
    </message>
    <message>
        <location filename="../widgets/next_token_view.cpp" line="206"/>
        <source>Predict</source>
        <translation>预测</translation>
    </message>
    <message>
        <location filename="../widgets/next_token_view.cpp" line="207"/>
        <source>The five most likely next tokens under the original model and under the plan</source>
        <translation>原始模型与方案下最可能的五个下一个词元</translation>
    </message>
    <message>
        <location filename="../widgets/next_token_view.cpp" line="208"/>
        <source>&lt;b&gt;Original&lt;/b&gt;</source>
        <translation>&lt;b&gt;原始模型&lt;/b&gt;</translation>
    </message>
    <message>
        <location filename="../widgets/next_token_view.cpp" line="209"/>
        <source>&lt;b&gt;Plan: %1&lt;/b&gt;</source>
        <translation>&lt;b&gt;方案：%1&lt;/b&gt;</translation>
    </message>
</context>
<context>
    <name>qs::NumberText</name>
    <message>
        <location filename="../widgets/number_text.cpp" line="72"/>
        <source>n/a</source>
        <translation>不适用</translation>
    </message>
</context>
<context>
    <name>qs::ParetoView</name>
    <message>
        <location filename="../widgets/pareto_view.cpp" line="266"/>
        <source>%1 (%2 bytes) · %3 bpw · predicted KLD %4</source>
        <translation>%1（%2 字节）· %3 bpw · 预测 KLD %4</translation>
    </message>
    <message>
        <location filename="../widgets/pareto_view.cpp" line="329"/>
        <source>Fitted plans</source>
        <translation>适配方案</translation>
    </message>
    <message>
        <location filename="../widgets/pareto_view.cpp" line="360"/>
        <source>Fitted plan: %1
Click to make this size the budget</source>
        <translation>适配方案：%1
点击将此大小设为预算</translation>
    </message>
    <message>
        <location filename="../widgets/pareto_view.cpp" line="375"/>
        <source>llama.cpp presets</source>
        <translation>llama.cpp 预设</translation>
    </message>
    <message>
        <location filename="../widgets/pareto_view.cpp" line="391"/>
        <source>%1 (llama.cpp preset): %2</source>
        <translation>%1（llama.cpp 预设）：%2</translation>
    </message>
    <message>
        <location filename="../widgets/pareto_view.cpp" line="400"/>
        <source>Budget&apos;s plan</source>
        <translation>预算方案</translation>
    </message>
    <message>
        <location filename="../widgets/pareto_view.cpp" line="409"/>
        <source>The budget&apos;s plan (Apply makes it the plan): %1</source>
        <translation>预算方案（“应用”后成为当前方案）：%1</translation>
    </message>
    <message>
        <location filename="../widgets/pareto_view.cpp" line="414"/>
        <source>Current plan</source>
        <translation>当前方案</translation>
    </message>
    <message>
        <location filename="../widgets/pareto_view.cpp" line="422"/>
        <source>The current plan: %1</source>
        <translation>当前方案：%1</translation>
    </message>
    <message>
        <location filename="../widgets/pareto_view.cpp" line="454"/>
        <source>tensor bytes (MiB)</source>
        <translation>张量字节（MiB）</translation>
    </message>
    <message>
        <location filename="../widgets/pareto_view.cpp" line="432"/>
        <source>KLD (log)</source>
        <translation>KLD（对数）</translation>
    </message>
    <message>
        <location filename="../widgets/pareto_view.cpp" line="269"/>
        <source>about %1 on %2</source>
        <translation>在 %2 上约 %1</translation>
    </message>
    <message>
        <location filename="../widgets/pareto_view.cpp" line="454"/>
        <source>estimated memory on %1 (MiB)</source>
        <translation>%1 上的估计内存（MiB）</translation>
    </message>
    <message>
        <location filename="../widgets/pareto_view.cpp" line="509"/>
        <source>Measure the sensitivity to see what each size buys.</source>
        <translation>测量敏感度以查看每种大小能换来什么。</translation>
    </message>
    <message>
        <location filename="../widgets/pareto_view.cpp" line="511"/>
        <source>Solving the curve…</source>
        <translation>正在求解曲线…</translation>
    </message>
    <message>
        <location filename="../widgets/pareto_view.cpp" line="513"/>
        <source>No curve: %1</source>
        <translation>无曲线：%1</translation>
    </message>
    <message>
        <location filename="../widgets/pareto_view.cpp" line="527"/>
        <source>%1 chooses %2</source>
        <translation>%1 选择 %2</translation>
    </message>
    <message>
        <location filename="../widgets/pareto_view.cpp" line="533"/>
        <source>Not drawn: %1 (they choose %2, not measured)</source>
        <translation>未绘制：%1（它们选择了未测量的 %2）</translation>
    </message>
    <message>
        <location filename="../widgets/pareto_view.cpp" line="540"/>
        <source>The current plan is not drawn: it chooses %1, which the sensitivity did not measure</source>
        <translation>当前方案未绘制：它选择了 %1，敏感度测量未包含该格式</translation>
    </message>
    <message>
        <location filename="../widgets/pareto_view.cpp" line="542"/>
        <source>The current plan is not drawn: it quantizes no measured tensor (predicted KLD 0)</source>
        <translation>当前方案未绘制：它没有量化任何已测量的张量（预测 KLD 为 0）</translation>
    </message>
    <message>
        <location filename="../widgets/pareto_view.cpp" line="552"/>
        <source>Tensor bytes against the predicted KLD (the sum of the measured per-tensor KL-divergences): the fitted plans from the smallest size to the largest, llama.cpp&apos;s presets, the current plan and the budget&apos;s plan. Click the curve to make a size the budget.</source>
        <translation>张量字节与预测 KLD（各张量测得的 KL 散度之和）的关系：从最小到最大大小的适配方案、llama.cpp 的预设、当前方案和预算方案。点击曲线可将该大小设为预算。</translation>
    </message>
    <message>
        <location filename="../widgets/pareto_view.cpp" line="555"/>
        <source>Size against predicted KLD</source>
        <translation>大小与预测 KLD</translation>
    </message>
</context>
<context>
    <name>qs::PlanDocument</name>
    <message>
        <location filename="../widgets/plan_document.cpp" line="99"/>
        <source>%1 is not a plan Quantscope can use: %2</source>
        <translation>%1 不是 Quantscope 可用的方案：%2</translation>
    </message>
    <message>
        <location filename="../widgets/plan_document.cpp" line="103"/>
        <source>%1 does not fit this model: %2</source>
        <translation>%1 不适用于此模型：%2</translation>
    </message>
    <message>
        <location filename="../widgets/plan_document.cpp" line="105"/>
        <source>load plan %1</source>
        <translation>载入方案 %1</translation>
    </message>
    <message>
        <location filename="../widgets/plan_document.cpp" line="114"/>
        <source>&apos;%1&apos; is not a llama-quantize preset</source>
        <translation>“%1”不是 llama-quantize 预设</translation>
    </message>
    <message>
        <location filename="../widgets/plan_document.cpp" line="120"/>
        <source>preset %1</source>
        <translation>预设 %1</translation>
    </message>
    <message>
        <location filename="../widgets/plan_document.cpp" line="120"/>
        <source>no preset</source>
        <translation>无预设</translation>
    </message>
    <message>
        <location filename="../widgets/plan_document.cpp" line="77"/>
        <source>A rule is REGEX=FORMAT with a format such as Q6_K, Q8_0, IQ4_XS, gptq:4:128 or GPTQ 4-bit g128; &apos;%1=%2&apos; is not.</source>
        <translation>规则的形式是 REGEX=FORMAT，格式如 Q6_K、Q8_0、IQ4_XS、gptq:4:128 或 GPTQ 4-bit g128；“%1=%2”不是。</translation>
    </message>
    <message>
        <location filename="../widgets/plan_document.cpp" line="135"/>
        <source>%1 is not a format Quantscope can write (a GGUF type such as Q6_K, or a group format such as GPTQ 4-bit g128)</source>
        <translation>%1 不是 Quantscope 能写出的格式（GGUF 类型如 Q6_K，或分组格式如 GPTQ 4-bit g128）</translation>
    </message>
    <message>
        <location filename="../widgets/plan_document.cpp" line="153"/>
        <source>%1 as %2</source>
        <translation>%1 设为 %2</translation>
    </message>
    <message>
        <location filename="../widgets/plan_document.cpp" line="162"/>
        <source>%1 is not a valid integer group format</source>
        <translation>%1 不是有效的整数分组格式</translation>
    </message>
    <message>
        <location filename="../widgets/plan_document.cpp" line="168"/>
        <source>%1 for the block Linear layers</source>
        <translation>块中的线性层使用 %1</translation>
    </message>
    <message>
        <location filename="../widgets/plan_document.cpp" line="168"/>
        <source>no plan-wide group format</source>
        <translation>不使用全局分组格式</translation>
    </message>
    <message>
        <location filename="../widgets/plan_document.cpp" line="180"/>
        <source>GPTQ settings</source>
        <translation>GPTQ 设置</translation>
    </message>
    <message>
        <location filename="../widgets/plan_document.cpp" line="191"/>
        <source>rule %1 → %2</source>
        <translation>规则 %1 → %2</translation>
    </message>
    <message>
        <location filename="../widgets/plan_document.cpp" line="198"/>
        <location filename="../widgets/plan_document.cpp" line="208"/>
        <source>There is no rule %1</source>
        <translation>没有第 %1 条规则</translation>
    </message>
    <message>
        <location filename="../widgets/plan_document.cpp" line="201"/>
        <source>remove rule %1</source>
        <translation>删除规则 %1</translation>
    </message>
    <message>
        <location filename="../widgets/plan_document.cpp" line="216"/>
        <source>rule %1: %2 → %3</source>
        <translation>规则 %1：%2 → %3</translation>
    </message>
    <message>
        <location filename="../widgets/plan_document.cpp" line="224"/>
        <source>There is no rule to move there</source>
        <translation>无法将规则移动到该位置</translation>
    </message>
    <message>
        <location filename="../widgets/plan_document.cpp" line="231"/>
        <source>move rule %1 to %2</source>
        <translation>将规则 %1 移到 %2</translation>
    </message>
</context>
<context>
    <name>qs::PlanPanel</name>
    <message>
        <location filename="../widgets/plan_panel.cpp" line="67"/>
        <source>Add a rule</source>
        <translation>添加规则</translation>
    </message>
    <message>
        <location filename="../widgets/plan_panel.cpp" line="67"/>
        <source>REGEX=FORMAT (for example ffn_down=Q6_K or ffn_down=gptq:8:128):</source>
        <translation>REGEX=FORMAT（例如 ffn_down=Q6_K 或 ffn_down=gptq:8:128）：</translation>
    </message>
    <message>
        <location filename="../widgets/plan_panel.cpp" line="73"/>
        <source>A rule is REGEX=FORMAT with a format such as Q6_K, Q8_0, IQ4_XS, gptq:4:128 or GPTQ 4-bit g128; &apos;%1&apos; is not.</source>
        <translation>规则的形式是 REGEX=FORMAT，格式如 Q6_K、Q8_0、IQ4_XS、gptq:4:128 或 GPTQ 4-bit g128；“%1”不是。</translation>
    </message>
    <message>
        <location filename="../widgets/plan_panel.cpp" line="231"/>
        <source>Rule %1 &apos;%2&apos; does nothing: the %3 preset converts every tensor and takes no rules.</source>
        <translation>规则 %1“%2”不起作用：预设 %3 会转换所有张量，不接受规则。</translation>
    </message>
    <message>
        <location filename="../widgets/plan_panel.cpp" line="234"/>
        <source>Rule %1 &apos;%2&apos; matches no tensor that can be quantized.</source>
        <translation>规则 %1“%2”没有匹配任何可量化的张量。</translation>
    </message>
    <message numerus="yes">
        <location filename="../widgets/plan_panel.cpp" line="236"/>
        <source>Rule %1 &apos;%2&apos; decides none of the %n tensor(s) it matches: earlier rules, overrides or the GPTQ/AWQ choice take them all.</source>
        <translation>
            <numerusform>规则 %1“%2”匹配 %n 个张量，但一个也没有决定：它们都被更早的规则、单独设置或 GPTQ/AWQ 选择占用。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../widgets/plan_panel.cpp" line="237"/>
        <source>Rule %1 &apos;%2&apos; decides none of the %n tensor(s) it matches: earlier rules or overrides take them all.</source>
        <translation>
            <numerusform>规则 %1“%2”匹配 %n 个张量，但一个也没有决定：它们都被更早的规则或单独设置占用。</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../widgets/plan_panel.cpp" line="241"/>
        <source>The override for &apos;%1&apos; names no tensor of this model.</source>
        <translation>“%1”的单独设置不对应此模型中的任何张量。</translation>
    </message>
    <message>
        <location filename="../widgets/plan_panel.cpp" line="243"/>
        <source>The override for &apos;%1&apos; does nothing: this tensor is never quantized.</source>
        <translation>“%1”的单独设置不起作用：此张量从不量化。</translation>
    </message>
    <message numerus="yes">
        <location filename="../widgets/plan_panel.cpp" line="245"/>
        <source>Rule %1 &apos;%2&apos; names %3, which none of the %n tensor(s) it decides can take (only Linear weights of the blocks whose shape fits): they stay in 16 bits.</source>
        <translation>
            <numerusform>规则 %1“%2”指定了 %3，但它决定的 %n 个张量都无法使用该格式（只有形状合适的块内线性权重可以）：它们保持 16 位。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../widgets/plan_panel.cpp" line="250"/>
        <source>The plan mixes GGUF formats (%n tensor(s), such as %1 in %2) with GPTQ/AWQ/RTN formats (%3), which no one file holds: a GGUF export refuses it, and a GPTQ/AWQ checkpoint keeps the GGUF-planned tensors in 16 bits.</source>
        <translation>
            <numerusform>此计划混用了 GGUF 格式（%n 个张量，例如 %1 为 %2）和 GPTQ/AWQ/RTN 格式（%3），没有一种文件能同时容纳两者：GGUF 导出会拒绝它，GPTQ/AWQ 检查点则会把计划为 GGUF 的张量保持为 16 位。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../widgets/plan_panel.cpp" line="252"/>
        <source>%n tensor(s)</source>
        <translation>
            <numerusform>%n 个张量</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../widgets/plan_panel.cpp" line="267"/>
        <source>Preset:</source>
        <translation>预设：</translation>
    </message>
    <message>
        <location filename="../widgets/plan_panel.cpp" line="268"/>
        <location filename="../widgets/plan_panel.cpp" line="288"/>
        <source>None</source>
        <translation>无</translation>
    </message>
    <message>
        <location filename="../widgets/plan_panel.cpp" line="269"/>
        <source>Preset</source>
        <translation>预设</translation>
    </message>
    <message>
        <location filename="../widgets/plan_panel.cpp" line="270"/>
        <source>llama-quantize preset: chooses each tensor&apos;s format exactly as llama-quantize would</source>
        <translation>llama-quantize 预设：与 llama-quantize 完全相同地为每个张量选择格式</translation>
    </message>
    <message>
        <location filename="../widgets/plan_panel.cpp" line="271"/>
        <source>Rules</source>
        <translation>规则</translation>
    </message>
    <message>
        <location filename="../widgets/plan_panel.cpp" line="272"/>
        <source>Rules, first match wins: a regular expression on the GGUF tensor name and the format it gives. Double-click a pattern or a format to change it.</source>
        <translation>规则按顺序匹配，第一个匹配的生效：对 GGUF 张量名的正则表达式及其给出的格式。双击模式或格式即可修改。</translation>
    </message>
    <message>
        <location filename="../widgets/plan_panel.cpp" line="275"/>
        <source>Evaluate</source>
        <translation>评估</translation>
    </message>
    <message>
        <location filename="../widgets/plan_panel.cpp" line="276"/>
        <source>Perplexity and KL-divergence of the model under this plan, against the unquantized model</source>
        <translation>按此方案量化后模型的困惑度和 KL 散度，与未量化模型比较</translation>
    </message>
    <message>
        <location filename="../widgets/plan_panel.cpp" line="277"/>
        <source>Move &amp;Up</source>
        <translation>上移(&amp;U)</translation>
    </message>
    <message>
        <location filename="../widgets/plan_panel.cpp" line="278"/>
        <source>Move the selected rule up: earlier rules win (Alt+U)</source>
        <translation>上移所选规则：靠前的规则优先 (Alt+U)</translation>
    </message>
    <message>
        <location filename="../widgets/plan_panel.cpp" line="279"/>
        <source>Move &amp;Down</source>
        <translation>下移(&amp;D)</translation>
    </message>
    <message>
        <location filename="../widgets/plan_panel.cpp" line="280"/>
        <source>Move the selected rule down (Alt+D)</source>
        <translation>下移所选规则 (Alt+D)</translation>
    </message>
    <message>
        <location filename="../widgets/plan_panel.cpp" line="281"/>
        <source>Add &amp;Rule…</source>
        <translation>添加规则(&amp;R)…</translation>
    </message>
    <message>
        <location filename="../widgets/plan_panel.cpp" line="282"/>
        <source>Add a rule such as  ffn_down=Q6_K</source>
        <translation>添加规则，例如  ffn_down=Q6_K</translation>
    </message>
    <message>
        <location filename="../widgets/plan_panel.cpp" line="283"/>
        <source>Remove</source>
        <translation>删除</translation>
    </message>
    <message>
        <location filename="../widgets/plan_panel.cpp" line="284"/>
        <source>Remove the selected rule</source>
        <translation>删除所选规则</translation>
    </message>
    <message>
        <location filename="../widgets/plan_panel.cpp" line="285"/>
        <source>Group quantization:</source>
        <translation>分组量化：</translation>
    </message>
    <message>
        <location filename="../widgets/plan_panel.cpp" line="286"/>
        <source>GPTQ, AWQ or round-to-nearest integers for every Linear layer of the blocks that no rule or override decides; a plan with them is written as a Hugging Face checkpoint</source>
        <translation>对块中每个未被规则或单独设置决定的线性层使用 GPTQ、AWQ 或就近取整的整数；含有它们的计划会写成 Hugging Face 检查点</translation>
    </message>
    <message>
        <location filename="../widgets/plan_panel.cpp" line="290"/>
        <source>Group quantization method</source>
        <translation>分组量化方法</translation>
    </message>
    <message>
        <location filename="../widgets/plan_panel.cpp" line="291"/>
        <source>Group quantization bits</source>
        <translation>分组量化位数</translation>
    </message>
    <message>
        <location filename="../widgets/plan_panel.cpp" line="292"/>
        <source>Group size</source>
        <translation>分组大小</translation>
    </message>
    <message>
        <location filename="../widgets/plan_panel.cpp" line="293"/>
        <source>Symmetric</source>
        <translation>对称</translation>
    </message>
    <message>
        <location filename="../widgets/plan_panel.cpp" line="294"/>
        <source>A symmetric grid around zero, with no zero point (GPTQModel&apos;s default; AutoAWQ&apos;s is asymmetric)</source>
        <translation>以零为中心的对称网格，无零点（GPTQModel 的默认设置；AutoAWQ 默认非对称）</translation>
    </message>
    <message>
        <location filename="../widgets/plan_panel.cpp" line="295"/>
        <source>Act-order</source>
        <translation>激活排序</translation>
    </message>
    <message>
        <location filename="../widgets/plan_panel.cpp" line="296"/>
        <source>GPTQ: quantize the columns in order of decreasing activation (desc_act); usually a little more accurate, and the checkpoint keeps a g_idx per column</source>
        <translation>GPTQ：按激活从大到小的顺序量化各列（desc_act）；通常略为精确，检查点会为每列保存 g_idx</translation>
    </message>
    <message>
        <location filename="../widgets/plan_panel.cpp" line="298"/>
        <source>Plan totals</source>
        <translation>方案汇总</translation>
    </message>
    <message>
        <location filename="../widgets/plan_panel.cpp" line="299"/>
        <source>Plan warnings</source>
        <translation>方案警告</translation>
    </message>
</context>
<context>
    <name>qs::PlanTotals</name>
    <message>
        <location filename="../widgets/plan_totals.cpp" line="72"/>
        <source>Plan %1: %2, %3 bits per quantized weight</source>
        <translation>方案 %1：%2，每个量化权重 %3 位</translation>
    </message>
    <message>
        <location filename="../widgets/plan_totals.cpp" line="75"/>
        <source>, error %1 over the %2 of %3 quantized tensors measured</source>
        <translation>，在已测量的 %2/%3 个量化张量上误差为 %1</translation>
    </message>
    <message>
        <location filename="../widgets/plan_totals.cpp" line="78"/>
        <source>, error n/a: the source is already quantized, so there are no original weights to compare with</source>
        <translation>，误差不适用：源已量化，没有可比较的原始权重</translation>
    </message>
    <message>
        <location filename="../widgets/plan_totals.cpp" line="80"/>
        <source> (analyse with the planned formats to see the error)</source>
        <translation>（使用计划的格式进行分析以查看误差）</translation>
    </message>
</context>
<context>
    <name>qs::QuantizeDialog</name>
    <message>
        <location filename="../widgets/quantize_dialog.cpp" line="48"/>
        <source>Quantize — %1</source>
        <translation>量化 — %1</translation>
    </message>
    <message>
        <location filename="../widgets/quantize_dialog.cpp" line="51"/>
        <source>Calibration</source>
        <translation>校准</translation>
    </message>
    <message>
        <location filename="../widgets/quantize_dialog.cpp" line="55"/>
        <source>Built-in sample text</source>
        <translation>内置示例文本</translation>
    </message>
    <message>
        <location filename="../widgets/quantize_dialog.cpp" line="55"/>
        <source>A text file</source>
        <translation>文本文件</translation>
    </message>
    <message>
        <location filename="../widgets/quantize_dialog.cpp" line="55"/>
        <source>A windows file (.json) and its text</source>
        <translation>窗口文件（.json）及其文本</translation>
    </message>
    <message>
        <location filename="../widgets/quantize_dialog.cpp" line="56"/>
        <source>Random windows of a UTF-8 text, or the exact windows a .json file lists (offsets into the ids of its text)</source>
        <translation>UTF-8 文本中的随机窗口，或 .json 文件列出的确切窗口（其文本 token id 中的偏移）</translation>
    </message>
    <message>
        <location filename="../widgets/quantize_dialog.cpp" line="57"/>
        <source>Text:</source>
        <translation>文本：</translation>
    </message>
    <message>
        <location filename="../widgets/quantize_dialog.cpp" line="60"/>
        <location filename="../widgets/quantize_dialog.cpp" line="72"/>
        <location filename="../widgets/quantize_dialog.cpp" line="150"/>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <location filename="../widgets/quantize_dialog.cpp" line="63"/>
        <source>Calibration windows</source>
        <translation>校准窗口</translation>
    </message>
    <message>
        <location filename="../widgets/quantize_dialog.cpp" line="63"/>
        <source>Calibration text</source>
        <translation>校准文本</translation>
    </message>
    <message>
        <location filename="../widgets/quantize_dialog.cpp" line="64"/>
        <source>Windows files (*.json)</source>
        <translation>窗口文件 (*.json)</translation>
    </message>
    <message>
        <location filename="../widgets/quantize_dialog.cpp" line="64"/>
        <location filename="../widgets/quantize_dialog.cpp" line="74"/>
        <source>UTF-8 text (*.txt);;All files (*)</source>
        <translation>UTF-8 文本 (*.txt);;所有文件 (*)</translation>
    </message>
    <message>
        <location filename="../widgets/quantize_dialog.cpp" line="68"/>
        <source>File:</source>
        <translation>文件：</translation>
    </message>
    <message>
        <location filename="../widgets/quantize_dialog.cpp" line="71"/>
        <source>The text whose token ids the windows file&apos;s offsets index</source>
        <translation>窗口文件偏移所索引的 token id 所属的文本</translation>
    </message>
    <message>
        <location filename="../widgets/quantize_dialog.cpp" line="74"/>
        <source>The text the windows index</source>
        <translation>窗口所索引的文本</translation>
    </message>
    <message>
        <location filename="../widgets/quantize_dialog.cpp" line="78"/>
        <source>Its text:</source>
        <translation>其文本：</translation>
    </message>
    <message>
        <location filename="../widgets/quantize_dialog.cpp" line="84"/>
        <source>How many windows the solver sees (GPTQModel and AutoAWQ use 128)</source>
        <translation>求解器看到的窗口数（GPTQModel 和 AutoAWQ 使用 128）</translation>
    </message>
    <message>
        <location filename="../widgets/quantize_dialog.cpp" line="93"/>
        <source>Where the random windows start; the same seed picks the same windows</source>
        <translation>随机窗口的起点；相同的种子选出相同的窗口</translation>
    </message>
    <message>
        <location filename="../widgets/quantize_dialog.cpp" line="94"/>
        <source>Windows:</source>
        <translation>窗口数：</translation>
    </message>
    <message>
        <location filename="../widgets/quantize_dialog.cpp" line="95"/>
        <source>Tokens per window:</source>
        <translation>每窗口 token 数：</translation>
    </message>
    <message>
        <location filename="../widgets/quantize_dialog.cpp" line="96"/>
        <source>Seed:</source>
        <translation>种子：</translation>
    </message>
    <message>
        <location filename="../widgets/quantize_dialog.cpp" line="99"/>
        <source>GPTQ</source>
        <translation>GPTQ</translation>
    </message>
    <message>
        <location filename="../widgets/quantize_dialog.cpp" line="102"/>
        <source>Act-order (columns by decreasing Hessian diagonal)</source>
        <translation>Act-order（按 Hessian 对角线递减排列列）</translation>
    </message>
    <message>
        <location filename="../widgets/quantize_dialog.cpp" line="104"/>
        <source>Static groups (group scales fixed before the sweep)</source>
        <translation>静态分组（扫描前固定分组缩放）</translation>
    </message>
    <message>
        <location filename="../widgets/quantize_dialog.cpp" line="111"/>
        <source>Added to the Hessian&apos;s diagonal, as a fraction of its mean; raised when the factorisation fails</source>
        <translation>以其均值的比例加到 Hessian 对角线上；分解失败时会提高</translation>
    </message>
    <message>
        <location filename="../widgets/quantize_dialog.cpp" line="120"/>
        <source>Damping:</source>
        <translation>阻尼：</translation>
    </message>
    <message>
        <location filename="../widgets/quantize_dialog.cpp" line="125"/>
        <source>AWQ</source>
        <translation>AWQ</translation>
    </message>
    <message>
        <location filename="../widgets/quantize_dialog.cpp" line="128"/>
        <source>Include s = 1 (Quantscope&apos;s variant)</source>
        <translation>包含 s = 1（Quantscope 的变体）</translation>
    </message>
    <message>
        <location filename="../widgets/quantize_dialog.cpp" line="130"/>
        <source>The scale search also tries no scaling, so no group ends worse than round-to-nearest; AutoAWQ&apos;s own grid does not</source>
        <translation>缩放搜索也尝试不缩放，因此没有分组会比最近舍入更差；AutoAWQ 自己的网格不包含这一点</translation>
    </message>
    <message>
        <location filename="../widgets/quantize_dialog.cpp" line="136"/>
        <source>Checkpoint</source>
        <translation>检查点</translation>
    </message>
    <message>
        <location filename="../widgets/quantize_dialog.cpp" line="140"/>
        <source>GPTQ (GPTQModel)</source>
        <translation>GPTQ（GPTQModel）</translation>
    </message>
    <message>
        <location filename="../widgets/quantize_dialog.cpp" line="141"/>
        <source>AWQ GEMM (AutoAWQ)</source>
        <translation>AWQ GEMM（AutoAWQ）</translation>
    </message>
    <message>
        <location filename="../widgets/quantize_dialog.cpp" line="142"/>
        <source>compressed-tensors (llm-compressor)</source>
        <translation>compressed-tensors（llm-compressor）</translation>
    </message>
    <message>
        <location filename="../widgets/quantize_dialog.cpp" line="144"/>
        <source>The layout transformers and vLLM load; by default the one the plan&apos;s method is usually shipped in</source>
        <translation>transformers 和 vLLM 加载的布局；默认为该方案方法通常发布时使用的布局</translation>
    </message>
    <message>
        <location filename="../widgets/quantize_dialog.cpp" line="145"/>
        <source>Layout:</source>
        <translation>布局：</translation>
    </message>
    <message>
        <location filename="../widgets/quantize_dialog.cpp" line="148"/>
        <source>A new or empty folder (or an earlier checkpoint, which is replaced); written only when everything succeeded and read back</source>
        <translation>新的或空的文件夹（或将被替换的旧检查点）；只有全部成功并读回后才写入</translation>
    </message>
    <message>
        <location filename="../widgets/quantize_dialog.cpp" line="152"/>
        <source>Write the checkpoint into</source>
        <translation>将检查点写入</translation>
    </message>
    <message>
        <location filename="../widgets/quantize_dialog.cpp" line="156"/>
        <source>Folder:</source>
        <translation>文件夹：</translation>
    </message>
    <message>
        <location filename="../widgets/quantize_dialog.cpp" line="167"/>
        <source>Quantize</source>
        <translation>量化</translation>
    </message>
    <message>
        <location filename="../widgets/quantize_dialog.cpp" line="206"/>
        <source>Choose the calibration file.</source>
        <translation>请选择校准文件。</translation>
    </message>
    <message>
        <location filename="../widgets/quantize_dialog.cpp" line="208"/>
        <source>Choose the text the windows file indexes.</source>
        <translation>请选择窗口文件所索引的文本。</translation>
    </message>
    <message>
        <location filename="../widgets/quantize_dialog.cpp" line="210"/>
        <source>Choose the folder to write the checkpoint to.</source>
        <translation>请选择写入检查点的文件夹。</translation>
    </message>
</context>
<context>
    <name>qs::QuantizeSession</name>
    <message>
        <location filename="../widgets/quantize_session.cpp" line="102"/>
        <source>The plan names no GPTQ, AWQ or RTN formats: choose a group format for the block Linears first (GGUF plans are written with File ▸ Export GGUF).</source>
        <translation>该方案没有 GPTQ、AWQ 或 RTN 格式：请先为各块的 Linear 层选择分组格式（GGUF 方案用“文件 ▸ 导出 GGUF”写出）。</translation>
    </message>
    <message>
        <location filename="../widgets/quantize_session.cpp" line="118"/>
        <source>A quantization is already running.</source>
        <translation>已有量化正在运行。</translation>
    </message>
    <message>
        <location filename="../widgets/quantize_session.cpp" line="120"/>
        <source>Open a model first.</source>
        <translation>请先打开模型。</translation>
    </message>
    <message>
        <location filename="../widgets/quantize_session.cpp" line="122"/>
        <source>GPTQ/AWQ checkpoints are made from a Hugging Face model folder (16- or 32-bit weights), not a GGUF file.</source>
        <translation>GPTQ/AWQ 检查点由 Hugging Face 模型文件夹（16 位或 32 位权重）生成，而不是 GGUF 文件。</translation>
    </message>
    <message>
        <location filename="../widgets/quantize_session.cpp" line="127"/>
        <source>Choose the folder to write the checkpoint to.</source>
        <translation>请选择写入检查点的文件夹。</translation>
    </message>
    <message>
        <location filename="../widgets/quantize_session.cpp" line="130"/>
        <source>%1: the folder it goes in does not exist.</source>
        <translation>%1：其所在的文件夹不存在。</translation>
    </message>
    <message>
        <location filename="../widgets/quantize_session.cpp" line="132"/>
        <source>%1 exists and is not a folder.</source>
        <translation>%1 已存在且不是文件夹。</translation>
    </message>
    <message>
        <location filename="../widgets/quantize_session.cpp" line="134"/>
        <source>%1 is not empty and holds no model (no config.json); choose an empty or new folder.</source>
        <translation>%1 不为空且不含模型（没有 config.json）；请选择空文件夹或新文件夹。</translation>
    </message>
    <message>
        <location filename="../widgets/quantize_session.cpp" line="136"/>
        <source>%1 cannot take the checkpoint: %2</source>
        <translation>%1 无法接收检查点：%2</translation>
    </message>
</context>
<context>
    <name>qs::RuleTableModel</name>
    <message numerus="yes">
        <location filename="../widgets/rule_table_model.cpp" line="39"/>
        <source>%n tensor(s)</source>
        <translation>
            <numerusform>%n 个张量</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../widgets/rule_table_model.cpp" line="46"/>
        <source>This rule decides no tensor: nothing matches it, or an earlier rule or a per-tensor choice takes every tensor it matches</source>
        <translation>此规则未决定任何张量：没有张量匹配，或者它匹配的每个张量都已被更早的规则或逐张量选择决定</translation>
    </message>
    <message>
        <location filename="../widgets/rule_table_model.cpp" line="49"/>
        <source>A regular expression searched in the GGUF tensor name; double-click to edit</source>
        <translation>在 GGUF 张量名中搜索的正则表达式；双击编辑</translation>
    </message>
    <message>
        <location filename="../widgets/rule_table_model.cpp" line="51"/>
        <source>An integer group format: the Linear weights of the blocks this rule matches are packed in it, other tensors it matches stay in 16 bits; double-click to choose another</source>
        <translation>整数分组格式：此规则匹配的块内线性权重以该格式打包，匹配到的其他张量保持 16 位；双击选择其他格式</translation>
    </message>
    <message>
        <location filename="../widgets/rule_table_model.cpp" line="54"/>
        <source>The format this rule gives; double-click to choose another</source>
        <translation>此规则给出的格式；双击选择其他格式</translation>
    </message>
    <message>
        <location filename="../widgets/rule_table_model.cpp" line="69"/>
        <source>Pattern</source>
        <translation>模式</translation>
    </message>
    <message>
        <location filename="../widgets/rule_table_model.cpp" line="71"/>
        <source>Format</source>
        <translation>格式</translation>
    </message>
    <message>
        <location filename="../widgets/rule_table_model.cpp" line="73"/>
        <source>Decides</source>
        <translation>决定</translation>
    </message>
</context>
<context>
    <name>qs::SensitivitySession</name>
    <message>
        <location filename="../widgets/sensitivity_session.cpp" line="29"/>
        <source>Open a model first.</source>
        <translation>请先打开一个模型。</translation>
    </message>
    <message>
        <location filename="../widgets/sensitivity_session.cpp" line="31"/>
        <source>A sensitivity measurement is already running.</source>
        <translation>敏感度测量已在运行。</translation>
    </message>
</context>
<context>
    <name>qs::TensorBrowser</name>
    <message>
        <location filename="../widgets/tensor_browser.cpp" line="169"/>
        <source>Filter tensors by name (e.g. ffn_down or blk.3.)</source>
        <translation>按名称筛选张量（例如 ffn_down 或 blk.3.）</translation>
    </message>
    <message>
        <location filename="../widgets/tensor_browser.cpp" line="170"/>
        <source>Tensor filter</source>
        <translation>张量筛选</translation>
    </message>
    <message>
        <location filename="../widgets/tensor_browser.cpp" line="171"/>
        <source>Show only tensors whose name contains this text</source>
        <translation>只显示名称包含此文本的张量</translation>
    </message>
    <message>
        <location filename="../widgets/tensor_browser.cpp" line="172"/>
        <source>Re&amp;gex</source>
        <translation>正则表达式(&amp;G)</translation>
    </message>
    <message>
        <location filename="../widgets/tensor_browser.cpp" line="173"/>
        <source>Treat the filter as a regular expression, e.g. blk\.[0-3]\.ffn_down</source>
        <translation>将筛选条件视为正则表达式，例如 blk\.[0-3]\.ffn_down</translation>
    </message>
    <message>
        <location filename="../widgets/tensor_browser.cpp" line="174"/>
        <source>Group by &amp;layer</source>
        <translation>按层分组(&amp;L)</translation>
    </message>
    <message>
        <location filename="../widgets/tensor_browser.cpp" line="175"/>
        <source>Show the tensors as a tree of layers, each with its size, bits per weight, formats and error under the plan</source>
        <translation>以层的树状结构显示张量，每层显示其在方案下的大小、每权重位数、格式和误差</translation>
    </message>
    <message>
        <location filename="../widgets/tensor_browser.cpp" line="176"/>
        <source>Tensors by layer</source>
        <translation>按层显示的张量</translation>
    </message>
    <message>
        <location filename="../widgets/tensor_browser.cpp" line="177"/>
        <source>Tensor table</source>
        <translation>张量表</translation>
    </message>
</context>
<context>
    <name>qs::TensorDetails</name>
    <message>
        <location filename="../widgets/tensor_details.cpp" line="186"/>
        <source>%1 result (an earlier plan)</source>
        <translation>%1 结果（较早的方案）</translation>
    </message>
    <message>
        <location filename="../widgets/tensor_details.cpp" line="186"/>
        <source>%1 result</source>
        <translation>%1 结果</translation>
    </message>
    <message>
        <location filename="../widgets/tensor_details.cpp" line="259"/>
        <source>Measured KLD when only this tensor is quantized: %1</source>
        <translation>仅量化此张量时测得的 KLD：%1</translation>
    </message>
    <message>
        <location filename="../widgets/tensor_details.cpp" line="290"/>
        <source>%1: mean %2, std %3, kurtosis %4</source>
        <translation>%1：均值 %2，标准差 %3，峰度 %4</translation>
    </message>
    <message>
        <location filename="../widgets/tensor_details.cpp" line="343"/>
        <source>%1 — %2, against the original weights</source>
        <translation>%1 — %2，对照原始权重</translation>
    </message>
    <message>
        <location filename="../widgets/tensor_details.cpp" line="360"/>
        <source>%1 under %2, against the weights as stored (%3, already quantized)</source>
        <translation>%1 在 %2 下，相对于存储的权重（%3，已量化）</translation>
    </message>
    <message>
        <location filename="../widgets/tensor_details.cpp" line="363"/>
        <source>%1 under %2</source>
        <translation>%1 在 %2 下</translation>
    </message>
    <message>
        <location filename="../widgets/tensor_details.cpp" line="384"/>
        <source>Histogram</source>
        <translation>直方图</translation>
    </message>
    <message>
        <location filename="../widgets/tensor_details.cpp" line="385"/>
        <source>Error map</source>
        <translation>误差图</translation>
    </message>
    <message>
        <location filename="../widgets/tensor_details.cpp" line="386"/>
        <source>Model map</source>
        <translation>模型图</translation>
    </message>
    <message>
        <location filename="../widgets/tensor_details.cpp" line="387"/>
        <source>&amp;Logarithmic counts</source>
        <translation>对数计数(&amp;L)</translation>
    </message>
    <message>
        <location filename="../widgets/tensor_details.cpp" line="388"/>
        <source>Show the histogram&apos;s counts on a log scale, to see the tails</source>
        <translation>以对数刻度显示直方图计数，以便观察尾部</translation>
    </message>
    <message>
        <location filename="../widgets/tensor_details.cpp" line="389"/>
        <source>Original</source>
        <translation>原始</translation>
    </message>
    <message>
        <location filename="../widgets/tensor_details.cpp" line="389"/>
        <source>Quantized</source>
        <translation>量化后</translation>
    </message>
    <message>
        <location filename="../widgets/tensor_details.cpp" line="389"/>
        <source>Both</source>
        <translation>两者</translation>
    </message>
    <message>
        <location filename="../widgets/tensor_details.cpp" line="389"/>
        <source>Error</source>
        <translation>误差</translation>
    </message>
    <message>
        <location filename="../widgets/tensor_details.cpp" line="392"/>
        <source>Histogram shows</source>
        <translation>直方图显示</translation>
    </message>
    <message>
        <location filename="../widgets/tensor_details.cpp" line="393"/>
        <source>Original weights, the weights after the planned format (A/B), both, or the error</source>
        <translation>原始权重、按计划格式量化后的权重（A/B）、两者或误差</translation>
    </message>
    <message>
        <location filename="../widgets/tensor_details.cpp" line="394"/>
        <source>Show:</source>
        <translation>显示：</translation>
    </message>
    <message>
        <location filename="../widgets/tensor_details.cpp" line="395"/>
        <source>block </source>
        <translation>块 </translation>
    </message>
    <message>
        <location filename="../widgets/tensor_details.cpp" line="396"/>
        <source>Block whose levels are shown</source>
        <translation>显示量化级的块</translation>
    </message>
    <message>
        <location filename="../widgets/tensor_details.cpp" line="397"/>
        <source>The block whose reconstruction levels are marked along the axis</source>
        <translation>其重建级别沿坐标轴标出的块</translation>
    </message>
    <message>
        <location filename="../widgets/tensor_details.cpp" line="398"/>
        <source>Heatmap format</source>
        <translation>热图格式</translation>
    </message>
    <message>
        <location filename="../widgets/tensor_details.cpp" line="399"/>
        <source>The format whose error the map shows</source>
        <translation>热图所显示误差对应的格式</translation>
    </message>
    <message>
        <location filename="../widgets/tensor_details.cpp" line="400"/>
        <source>Mean |error|</source>
        <translation>平均 |误差|</translation>
    </message>
    <message>
        <location filename="../widgets/tensor_details.cpp" line="400"/>
        <source>Max |error|</source>
        <translation>最大 |误差|</translation>
    </message>
    <message>
        <location filename="../widgets/tensor_details.cpp" line="400"/>
        <source>Quantization step</source>
        <translation>量化步长</translation>
    </message>
    <message>
        <location filename="../widgets/tensor_details.cpp" line="400"/>
        <source>Signed error (bias)</source>
        <translation>带符号误差（偏差）</translation>
    </message>
    <message>
        <location filename="../widgets/tensor_details.cpp" line="403"/>
        <source>Heatmap measure</source>
        <translation>热图度量</translation>
    </message>
    <message>
        <location filename="../widgets/tensor_details.cpp" line="404"/>
        <source>Magnitudes use viridis; the signed error mean(Q(W) − W) uses a blue–grey–red scale centred on 0</source>
        <translation>幅值使用 viridis 色图；带符号误差 mean(Q(W) − W) 使用以 0 为中心的蓝–灰–红色标</translation>
    </message>
    <message>
        <location filename="../widgets/tensor_details.cpp" line="406"/>
        <source>C&amp;olour by:</source>
        <translation>着色依据(&amp;O)：</translation>
    </message>
    <message>
        <location filename="../widgets/tensor_details.cpp" line="407"/>
        <source>Weight error</source>
        <translation>权重误差</translation>
    </message>
    <message>
        <location filename="../widgets/tensor_details.cpp" line="408"/>
        <source>Measured KLD</source>
        <translation>测得的 KLD</translation>
    </message>
    <message>
        <location filename="../widgets/tensor_details.cpp" line="409"/>
        <source>Bits per weight</source>
        <translation>每权重位数</translation>
    </message>
    <message>
        <location filename="../widgets/tensor_details.cpp" line="410"/>
        <source>Model map colouring</source>
        <translation>模型图着色</translation>
    </message>
    <message>
        <location filename="../widgets/tensor_details.cpp" line="411"/>
        <source>Weight error: ‖Q(W) − W‖ / ‖W‖ in the planned format. Measured KLD: how far the predictions move when only that tensor is quantized. Bits per weight: where the plan puts its bits</source>
        <translation>权重误差：计划格式下的 ‖Q(W) − W‖ / ‖W‖。测得的 KLD：仅量化该张量时预测偏移的程度。每权重位数：方案把位数用在了哪里</translation>
    </message>
    <message>
        <location filename="../widgets/tensor_details.cpp" line="413"/>
        <source>Measured format</source>
        <translation>测量的格式</translation>
    </message>
    <message>
        <location filename="../widgets/tensor_details.cpp" line="414"/>
        <source>The format whose measured KL-divergence the map shows</source>
        <translation>模型图显示其测得 KL 散度的格式</translation>
    </message>
    <message>
        <location filename="../widgets/tensor_details.cpp" line="415"/>
        <source>Measure Sensitivity</source>
        <translation>测量敏感度</translation>
    </message>
    <message>
        <location filename="../widgets/tensor_details.cpp" line="416"/>
        <source>For every weight and format, the KL-divergence when only that weight is quantized, on the built-in text; saved with the project</source>
        <translation>对每个权重和格式：仅量化该权重时在内置文本上的 KL 散度；随项目保存</translation>
    </message>
    <message>
        <location filename="../widgets/tensor_details.cpp" line="418"/>
        <source>Mean KL-divergence from the unquantized model on the measured windows</source>
        <translation>在测量窗口上相对未量化模型的平均 KL 散度</translation>
    </message>
</context>
<context>
    <name>qs::TensorTableModel</name>
    <message>
        <location filename="../widgets/tensor_table_model.cpp" line="181"/>
        <source> (bias)</source>
        <translation>（偏置）</translation>
    </message>
    <message>
        <location filename="../widgets/tensor_table_model.cpp" line="254"/>
        <source>Why this format: %1</source>
        <translation>选择此格式的原因：%1</translation>
    </message>
    <message>
        <location filename="../widgets/tensor_table_model.cpp" line="257"/>
        <source>The measured error of the planned format (run an analysis that includes it)</source>
        <translation>计划格式的实测误差（请运行包含该格式的分析）</translation>
    </message>
    <message>
        <location filename="../widgets/tensor_table_model.cpp" line="250"/>
        <source>n/a: the source stores this tensor already quantized (%1), so there are no original weights to measure an error against</source>
        <translation>不适用：源中该张量已量化存储（%1），没有可用于测量误差的原始权重</translation>
    </message>
    <message>
        <location filename="../widgets/tensor_table_model.cpp" line="263"/>
        <source>AWQ applied no input scaling to this Linear: it was rounded to nearest as it is</source>
        <translation>AWQ 未对该 Linear 层做输入缩放：它按原样做了最近舍入</translation>
    </message>
    <message>
        <location filename="../widgets/tensor_table_model.cpp" line="264"/>
        <source>AWQ&apos;s input-channel scale ratio max(s) / min(s) under %1: how far it rebalanced this Linear&apos;s input channels before rounding (1: not at all)</source>
        <translation>AWQ 在 %1 下的输入通道缩放比 max(s) / min(s)：舍入前对该 Linear 层输入通道的再平衡程度（1：完全没有）</translation>
    </message>
    <message>
        <location filename="../widgets/tensor_table_model.cpp" line="267"/>
        <source>GPTQ&apos;s loss under %1: Σ (w − q)² / d² / 2 over the weight, what the rounding cost on the calibration inputs after the solver&apos;s error compensation (lower is better; compare tensors of one shape)</source>
        <translation>GPTQ 在 %1 下的损失：对权重求 Σ (w − q)² / d² / 2，即经求解器误差补偿后舍入在校准输入上的代价（越低越好；请比较同形状的张量）</translation>
    </message>
    <message>
        <location filename="../widgets/tensor_table_model.cpp" line="271"/>
        <source>Rounded to nearest (%1): no solver measure</source>
        <translation>最近舍入（%1）：没有求解器度量</translation>
    </message>
    <message>
        <location filename="../widgets/tensor_table_model.cpp" line="272"/>
        <source>Solved for an earlier plan: the plan has changed since</source>
        <translation>针对较早的方案求解：方案此后已更改</translation>
    </message>
    <message>
        <location filename="../widgets/tensor_table_model.cpp" line="278"/>
        <source>||W - Q(W)|| / ||W|| under %1; RMSE is %2 quantization steps (%3 is ideal uniform rounding)</source>
        <translation>%1 下的 ||W − Q(W)|| / ||W||；RMSE 为 %2 个量化步长（%3 为理想均匀舍入）</translation>
    </message>
    <message>
        <location filename="../widgets/tensor_table_model.cpp" line="286"/>
        <source>Hugging Face name: %1</source>
        <translation>Hugging Face 名称：%1</translation>
    </message>
    <message>
        <location filename="../widgets/tensor_table_model.cpp" line="286"/>
        <source>GGUF name: %1</source>
        <translation>GGUF 名称：%1</translation>
    </message>
    <message>
        <location filename="../widgets/tensor_table_model.cpp" line="290"/>
        <source>%1 bytes</source>
        <translation>%1 字节</translation>
    </message>
    <message>
        <location filename="../widgets/tensor_table_model.cpp" line="300"/>
        <source>#</source>
        <translation>#</translation>
    </message>
    <message>
        <location filename="../widgets/tensor_table_model.cpp" line="301"/>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location filename="../widgets/tensor_table_model.cpp" line="302"/>
        <source>Hugging Face name</source>
        <translation>Hugging Face 名称</translation>
    </message>
    <message>
        <location filename="../widgets/tensor_table_model.cpp" line="302"/>
        <source>GGUF name</source>
        <translation>GGUF 名称</translation>
    </message>
    <message>
        <location filename="../widgets/tensor_table_model.cpp" line="303"/>
        <source>Role</source>
        <translation>角色</translation>
    </message>
    <message>
        <location filename="../widgets/tensor_table_model.cpp" line="304"/>
        <source>Layer</source>
        <translation>层</translation>
    </message>
    <message>
        <location filename="../widgets/tensor_table_model.cpp" line="305"/>
        <source>Shape</source>
        <translation>形状</translation>
    </message>
    <message>
        <location filename="../widgets/tensor_table_model.cpp" line="306"/>
        <source>Type</source>
        <translation>类型</translation>
    </message>
    <message>
        <location filename="../widgets/tensor_table_model.cpp" line="307"/>
        <source>Parameters</source>
        <translation>参数</translation>
    </message>
    <message>
        <location filename="../widgets/tensor_table_model.cpp" line="308"/>
        <source>Size</source>
        <translation>大小</translation>
    </message>
    <message>
        <location filename="../widgets/tensor_table_model.cpp" line="309"/>
        <source>Format</source>
        <translation>格式</translation>
    </message>
    <message>
        <location filename="../widgets/tensor_table_model.cpp" line="310"/>
        <source>Bits/w</source>
        <translation>位/权重</translation>
    </message>
    <message>
        <location filename="../widgets/tensor_table_model.cpp" line="311"/>
        <source>Planned size</source>
        <translation>计划大小</translation>
    </message>
    <message>
        <location filename="../widgets/tensor_table_model.cpp" line="312"/>
        <source>Planned error</source>
        <translation>计划误差</translation>
    </message>
    <message>
        <location filename="../widgets/tensor_table_model.cpp" line="313"/>
        <source>Std dev</source>
        <translation>标准差</translation>
    </message>
    <message>
        <location filename="../widgets/tensor_table_model.cpp" line="314"/>
        <source>Kurtosis</source>
        <translation>峰度</translation>
    </message>
    <message>
        <location filename="../widgets/tensor_table_model.cpp" line="316"/>
        <source>Error %1</source>
        <translation>误差 %1</translation>
    </message>
    <message>
        <location filename="../widgets/tensor_table_model.cpp" line="317"/>
        <source>Error</source>
        <translation>误差</translation>
    </message>
    <message>
        <location filename="../widgets/tensor_table_model.cpp" line="318"/>
        <source>SQNR dB</source>
        <translation>SQNR dB</translation>
    </message>
    <message>
        <location filename="../widgets/tensor_table_model.cpp" line="321"/>
        <source>AWQ scale ratio</source>
        <translation>AWQ 缩放比</translation>
    </message>
    <message>
        <location filename="../widgets/tensor_table_model.cpp" line="321"/>
        <source>GPTQ loss</source>
        <translation>GPTQ 损失</translation>
    </message>
    <message>
        <location filename="../widgets/tensor_table_model.cpp" line="322"/>
        <source>Solver</source>
        <translation>求解器</translation>
    </message>
</context>
<context>
    <name>qs::VramBar</name>
    <message>
        <location filename="../widgets/vram_bar.cpp" line="56"/>
        <source>Memory against the device</source>
        <translation>内存与设备容量对比</translation>
    </message>
    <message>
        <location filename="../widgets/vram_bar.cpp" line="58"/>
        <source>Open a model to see the memory it needs</source>
        <translation>打开模型以查看其所需内存</translation>
    </message>
    <message>
        <location filename="../widgets/vram_bar.cpp" line="64"/>
        <source>%1 of %2 on %3</source>
        <translation>%1 / %2（%3）</translation>
    </message>
    <message>
        <location filename="../widgets/vram_bar.cpp" line="65"/>
        <source>weights %1, KV cache %2, compute %3, overhead %4</source>
        <translation>权重 %1，KV 缓存 %2，计算缓冲 %3，开销 %4</translation>
    </message>
    <message>
        <location filename="../widgets/vram_bar.cpp" line="68"/>
        <source>%1 of weights stay in host memory</source>
        <translation>%1 的权重留在主机内存中</translation>
    </message>
    <message>
        <location filename="../widgets/vram_bar.cpp" line="69"/>
        <source>%1 to spare</source>
        <translation>剩余 %1</translation>
    </message>
    <message>
        <location filename="../widgets/vram_bar.cpp" line="70"/>
        <source>short by %1</source>
        <translation>还差 %1</translation>
    </message>
    <message>
        <location filename="../widgets/vram_bar.cpp" line="72"/>
        <source>Compute and overhead for this runtime are published estimates, not yet measured</source>
        <translation>此运行时的计算缓冲和开销为公开估算值，尚未实测</translation>
    </message>
</context>
<context>
    <name>qs::WindowPplChart</name>
    <message>
        <location filename="../widgets/window_ppl_chart.cpp" line="45"/>
        <location filename="../widgets/window_ppl_chart.cpp" line="53"/>
        <source>Perplexity per window</source>
        <translation>每个窗口的困惑度</translation>
    </message>
    <message>
        <location filename="../widgets/window_ppl_chart.cpp" line="46"/>
        <source>The perplexity of each evaluation window along the text, for the selected rows: where a plan hurts</source>
        <translation>所选行沿文本每个评估窗口的困惑度：方案在哪里造成损失</translation>
    </message>
    <message>
        <location filename="../widgets/window_ppl_chart.cpp" line="81"/>
        <source>window</source>
        <translation>窗口</translation>
    </message>
    <message>
        <location filename="../widgets/window_ppl_chart.cpp" line="88"/>
        <source>perplexity</source>
        <translation>困惑度</translation>
    </message>
</context>
</TS>
