<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE" sourcelanguage="en">
<context>
    <name>main</name>
    <message>
        <location filename="../app/studio/main.cpp" line="54"/>
        <source>Quantization studio for large language models</source>
        <translation>Quantisierungsstudio für große Sprachmodelle</translation>
    </message>
    <message>
        <location filename="../app/studio/main.cpp" line="28"/>
        <source>Open the built-in demo model</source>
        <translation>Das eingebaute Demomodell öffnen</translation>
    </message>
    <message>
        <location filename="../app/studio/main.cpp" line="30"/>
        <source>Save a PNG of the window once the model is open, then quit</source>
        <translation>Nach dem Öffnen des Modells ein PNG des Fensters speichern und beenden</translation>
    </message>
    <message>
        <location filename="../app/studio/main.cpp" line="32"/>
        <source>Analyse the model as soon as it is open</source>
        <translation>Das Modell nach dem Öffnen sofort analysieren</translation>
    </message>
    <message>
        <location filename="../app/studio/main.cpp" line="33"/>
        <source>Details view to show: histogram, errormap or modelmap</source>
        <translation>Anzuzeigende Detailansicht: histogram, errormap oder modelmap</translation>
    </message>
    <message>
        <location filename="../app/studio/main.cpp" line="35"/>
        <source>Error map measure: mean, max, step or signed</source>
        <translation>Maß der Fehlerkarte: mean, max, step oder signed</translation>
    </message>
    <message>
        <location filename="../app/studio/main.cpp" line="37"/>
        <source>Add a plan rule REGEX=FORMAT (repeatable)</source>
        <translation>Eine Planregel REGEX=FORMAT hinzufügen (wiederholbar)</translation>
    </message>
    <message>
        <location filename="../app/studio/main.cpp" line="39"/>
        <source>Show the tensors grouped by layer</source>
        <translation>Die Tensoren nach Schicht gruppiert zeigen</translation>
    </message>
    <message>
        <location filename="../app/studio/main.cpp" line="41"/>
        <source>Evaluate the original model and the plan as soon as the model is open</source>
        <translation>Das Originalmodell und den Plan bewerten, sobald das Modell geöffnet ist</translation>
    </message>
    <message>
        <location filename="../app/studio/main.cpp" line="42"/>
        <source>Load a plan (JSON) as soon as the model is open</source>
        <translation>Einen Plan (JSON) laden, sobald das Modell offen ist</translation>
    </message>
    <message>
        <location filename="../app/studio/main.cpp" line="45"/>
        <source>Quantize the plan&apos;s GPTQ/AWQ formats into this folder as soon as the model is open (built-in calibration); with --evaluate, the solved result is evaluated too</source>
        <translation>Die GPTQ/AWQ-Formate des Plans in diesen Ordner quantisieren, sobald das Modell offen ist (eingebaute Kalibrierung); mit --evaluate wird auch das gelöste Ergebnis bewertet</translation>
    </message>
    <message>
        <location filename="../app/studio/main.cpp" line="49"/>
        <source>Measure the sensitivity as soon as the model is open and show it on the model map</source>
        <translation>Die Empfindlichkeit messen, sobald das Modell geöffnet ist, und sie in der Modellkarte zeigen</translation>
    </message>
    <message>
        <location filename="../app/studio/main.cpp" line="56"/>
        <source>Model folder, .gguf file or .qsproj project to open</source>
        <translation>Zu öffnender Modellordner, .gguf-Datei oder .qsproj-Projekt</translation>
    </message>
    <message>
        <location filename="../app/studio/main.cpp" line="75"/>
        <source>--%1 must be one of %2; &apos;%3&apos; is not</source>
        <translation>--%1 muss eines von %2 sein; „%3“ ist es nicht</translation>
    </message>
    <message>
        <location filename="../app/studio/main.cpp" line="118"/>
        <source>open one model or project at a time; got %1</source>
        <translation>bitte nur ein Modell oder Projekt auf einmal öffnen; angegeben: %1</translation>
    </message>
</context>
<context>
    <name>qs::BudgetPanel</name>
    <message>
        <location filename="../widgets/budget_panel.cpp" line="236"/>
        <source>Measure Sensitivity first (Analysis ▸ Measure Sensitivity): the fit chooses formats from the measured KL-divergences.</source>
        <translation>Zuerst die Empfindlichkeit messen (Analyse ▸ Empfindlichkeit messen): die Anpassung wählt die Formate nach den gemessenen KL-Divergenzen.</translation>
    </message>
    <message>
        <location filename="../widgets/budget_panel.cpp" line="239"/>
        <source>The plan holds GPTQ/AWQ formats; fitting to a budget chooses GGUF formats. Choose a GGUF preset and no group format first.</source>
        <translation>Der Plan enthält GPTQ/AWQ-Formate; die Anpassung an ein Budget wählt GGUF-Formate. Zuerst ein GGUF-Preset und kein Gruppenformat wählen.</translation>
    </message>
    <message>
        <location filename="../widgets/budget_panel.cpp" line="309"/>
        <source>no device is chosen in the memory bar</source>
        <translation>in der Speicherleiste ist kein Gerät gewählt</translation>
    </message>
    <message>
        <location filename="../widgets/budget_panel.cpp" line="371"/>
        <source>fit to %1 bpw</source>
        <translation>an %1 bpw anpassen</translation>
    </message>
    <message>
        <location filename="../widgets/budget_panel.cpp" line="373"/>
        <source>fit to %1 MiB</source>
        <translation>an %1 MiB anpassen</translation>
    </message>
    <message>
        <location filename="../widgets/budget_panel.cpp" line="375"/>
        <source>fit to %1</source>
        <translation>an %1 anpassen</translation>
    </message>
    <message>
        <location filename="../widgets/budget_panel.cpp" line="376"/>
        <source>fit to the size of %1</source>
        <translation>an die Größe von %1 anpassen</translation>
    </message>
    <message>
        <location filename="../widgets/budget_panel.cpp" line="403"/>
        <location filename="../widgets/budget_panel.cpp" line="404"/>
        <source>Fitting…</source>
        <translation>Wird angepasst…</translation>
    </message>
    <message>
        <location filename="../widgets/budget_panel.cpp" line="408"/>
        <source>This budget cannot be met: %1</source>
        <translation>Dieses Budget ist nicht einzuhalten: %1</translation>
    </message>
    <message>
        <location filename="../widgets/budget_panel.cpp" line="412"/>
        <source>%1 of %2 allowed · %3 bpw · predicted KLD %4 (sum of measured)</source>
        <translation>%1 von %2 erlaubt · %3 bpw · vorhergesagte KLD %4 (Summe der gemessenen)</translation>
    </message>
    <message>
        <location filename="../widgets/budget_panel.cpp" line="416"/>
        <source>Fits %1 with the weights at %2 of the %3 left after the KV cache, buffers and overhead.</source>
        <translation>Passt auf %1: die Gewichte belegen %2 der %3, die nach KV-Cache, Puffern und Overhead bleiben.</translation>
    </message>
    <message>
        <location filename="../widgets/budget_panel.cpp" line="419"/>
        <source>Replace the plan by %1 with a format for each of its %2 measured weights (undoable)</source>
        <translation>Den Plan durch %1 mit einem Format für jedes seiner %2 gemessenen Gewichte ersetzen (rückgängig zu machen)</translation>
    </message>
    <message>
        <location filename="../widgets/budget_panel.cpp" line="423"/>
        <source>%1 as it is: %2 · %3 bpw · predicted KLD %4</source>
        <translation>%1 unverändert: %2 · %3 bpw · vorhergesagte KLD %4</translation>
    </message>
    <message>
        <location filename="../widgets/budget_panel.cpp" line="437"/>
        <source>&amp;Budget:</source>
        <translation>&amp;Budget:</translation>
    </message>
    <message>
        <location filename="../widgets/budget_panel.cpp" line="438"/>
        <source>Bits per weight</source>
        <translation>Bits pro Gewicht</translation>
    </message>
    <message>
        <location filename="../widgets/budget_panel.cpp" line="439"/>
        <source>Size in MiB</source>
        <translation>Größe in MiB</translation>
    </message>
    <message>
        <location filename="../widgets/budget_panel.cpp" line="440"/>
        <source>Fit this device</source>
        <translation>Dieses Gerät ausfüllen</translation>
    </message>
    <message>
        <location filename="../widgets/budget_panel.cpp" line="441"/>
        <source>The device, context and runtime of the memory bar: the largest plan whose estimated memory (weights, KV cache, compute buffers, runtime overhead) fits it</source>
        <translation>Gerät, Kontext und Laufzeit der Speicherleiste: der größte Plan, dessen geschätzter Speicher (Gewichte, KV-Cache, Rechenpuffer, Laufzeit-Overhead) hineinpasst</translation>
    </message>
    <message>
        <location filename="../widgets/budget_panel.cpp" line="446"/>
        <source>As large as %1</source>
        <translation>So groß wie %1</translation>
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
        <translation>&amp;Anwenden</translation>
    </message>
    <message>
        <location filename="../widgets/budget_panel.cpp" line="451"/>
        <source>The base preset decides what was not measured (norms, anything left out); its own predicted KLD is shown when every format it chooses was measured</source>
        <translation>Das Basis-Preset entscheidet, was nicht gemessen wurde (Normen, Ausgelassenes); seine eigene vorhergesagte KLD wird gezeigt, wenn jedes Format, das es wählt, gemessen wurde</translation>
    </message>
</context>
<context>
    <name>qs::EvalHistoryModel</name>
    <message>
        <location filename="../widgets/eval_history_model.cpp" line="39"/>
        <source>Original</source>
        <translation>Original</translation>
    </message>
    <message>
        <location filename="../widgets/eval_history_model.cpp" line="41"/>
        <source>%1 (RTN stand-in, not solved)</source>
        <translation>%1 (RTN-Ersatz, nicht gelöst)</translation>
    </message>
    <message>
        <location filename="../widgets/eval_history_model.cpp" line="42"/>
        <source>%1 (solved)</source>
        <translation>%1 (gelöst)</translation>
    </message>
    <message>
        <location filename="../widgets/eval_history_model.cpp" line="51"/>
        <source>%1 on %2
%3 windows of %4 tokens (%5 protocol), %6 positions scored</source>
        <translation>%1 auf %2
%3 Fenster zu %4 Tokens (Protokoll %5), %6 Positionen bewertet</translation>
    </message>
    <message>
        <location filename="../widgets/eval_history_model.cpp" line="52"/>
        <source>the built-in text</source>
        <translation>dem eingebauten Text</translation>
    </message>
    <message>
        <location filename="../widgets/eval_history_model.cpp" line="57"/>
        <source>GPTQ/AWQ formats need calibration: each was rounded to nearest with its bits, group and zero point. Quantize the plan and evaluate the solved result to see what the solver gains.</source>
        <translation>GPTQ/AWQ-Formate brauchen eine Kalibrierung: Jedes wurde mit seinen Bits, seiner Gruppe und seinem Nullpunkt auf den nächsten Wert gerundet. Quantisieren Sie den Plan und bewerten Sie das gelöste Ergebnis, um zu sehen, was der Löser gewinnt.</translation>
    </message>
    <message>
        <location filename="../widgets/eval_history_model.cpp" line="60"/>
        <source>The solved checkpoint written to %1, read back from the folder</source>
        <translation>Der gelöste Checkpoint in %1, aus dem Ordner zurückgelesen</translation>
    </message>
    <message>
        <location filename="../widgets/eval_history_model.cpp" line="97"/>
        <source>%1 s</source>
        <translation>%1 s</translation>
    </message>
    <message>
        <location filename="../widgets/eval_history_model.cpp" line="117"/>
        <source>The weights&apos; bytes under the plan</source>
        <translation>Bytes der Gewichte unter dem Plan</translation>
    </message>
    <message>
        <location filename="../widgets/eval_history_model.cpp" line="118"/>
        <source>Bits per weight of the quantized tensors (of every weight for the original)</source>
        <translation>Bits pro Gewicht der quantisierten Tensoren (beim Original: aller Gewichte)</translation>
    </message>
    <message>
        <location filename="../widgets/eval_history_model.cpp" line="119"/>
        <source>Perplexity on the evaluation text: lower is better</source>
        <translation>Perplexität auf dem Bewertungstext: niedriger ist besser</translation>
    </message>
    <message>
        <location filename="../widgets/eval_history_model.cpp" line="120"/>
        <source>Perplexity minus the unquantized model&apos;s on the same windows</source>
        <translation>Perplexität minus die des unquantisierten Modells auf denselben Fenstern</translation>
    </message>
    <message>
        <location filename="../widgets/eval_history_model.cpp" line="121"/>
        <source>Mean KL-divergence of the predictions from the unquantized model&apos;s (nats)</source>
        <translation>Mittlere KL-Divergenz der Vorhersagen von denen des unquantisierten Modells (nats)</translation>
    </message>
    <message>
        <location filename="../widgets/eval_history_model.cpp" line="122"/>
        <source>99th percentile of the KL-divergence: the worst positions</source>
        <translation>99. Perzentil der KL-Divergenz: die schlechtesten Positionen</translation>
    </message>
    <message>
        <location filename="../widgets/eval_history_model.cpp" line="123"/>
        <source>How often the most likely next token is the unquantized model&apos;s</source>
        <translation>Wie oft das wahrscheinlichste nächste Token das des unquantisierten Modells ist</translation>
    </message>
    <message>
        <location filename="../widgets/eval_history_model.cpp" line="124"/>
        <source>How long the evaluation took</source>
        <translation>Wie lange die Bewertung dauerte</translation>
    </message>
    <message>
        <location filename="../widgets/eval_history_model.cpp" line="131"/>
        <source>Plan</source>
        <translation>Plan</translation>
    </message>
    <message>
        <location filename="../widgets/eval_history_model.cpp" line="132"/>
        <source>Size</source>
        <translation>Größe</translation>
    </message>
    <message>
        <location filename="../widgets/eval_history_model.cpp" line="133"/>
        <source>Bits/weight</source>
        <translation>Bits/Gewicht</translation>
    </message>
    <message>
        <location filename="../widgets/eval_history_model.cpp" line="134"/>
        <source>PPL</source>
        <translation>PPL</translation>
    </message>
    <message>
        <location filename="../widgets/eval_history_model.cpp" line="135"/>
        <source>ΔPPL</source>
        <translation>ΔPPL</translation>
    </message>
    <message>
        <location filename="../widgets/eval_history_model.cpp" line="136"/>
        <source>KLD mean</source>
        <translation>KLD Mittel</translation>
    </message>
    <message>
        <location filename="../widgets/eval_history_model.cpp" line="137"/>
        <source>KLD p99</source>
        <translation>KLD p99</translation>
    </message>
    <message>
        <location filename="../widgets/eval_history_model.cpp" line="138"/>
        <source>Top-1 agree</source>
        <translation>Top-1-Übereinst.</translation>
    </message>
    <message>
        <location filename="../widgets/eval_history_model.cpp" line="139"/>
        <source>Time</source>
        <translation>Zeit</translation>
    </message>
</context>
<context>
    <name>qs::EvaluationPanel</name>
    <message>
        <location filename="../widgets/evaluation_panel.cpp" line="35"/>
        <source>Evaluate on a text</source>
        <translation>Auf einem Text bewerten</translation>
    </message>
    <message>
        <location filename="../widgets/evaluation_panel.cpp" line="35"/>
        <source>UTF-8 text (*.txt);;All files (*)</source>
        <translation>UTF-8-Text (*.txt);;Alle Dateien (*)</translation>
    </message>
    <message>
        <location filename="../widgets/evaluation_panel.cpp" line="112"/>
        <source>Evaluate Plan</source>
        <translation>Plan bewerten</translation>
    </message>
    <message>
        <location filename="../widgets/evaluation_panel.cpp" line="113"/>
        <source>Perplexity and KL-divergence of the model under the current plan, against the unquantized model</source>
        <translation>Perplexität und KL-Divergenz des Modells unter dem aktuellen Plan, verglichen mit dem unquantisierten Modell</translation>
    </message>
    <message>
        <location filename="../widgets/evaluation_panel.cpp" line="114"/>
        <source>Evaluate Original</source>
        <translation>Original bewerten</translation>
    </message>
    <message>
        <location filename="../widgets/evaluation_panel.cpp" line="115"/>
        <source>Perplexity of the unquantized model: the reference row</source>
        <translation>Perplexität des unquantisierten Modells: die Referenzzeile</translation>
    </message>
    <message>
        <location filename="../widgets/evaluation_panel.cpp" line="116"/>
        <source>Evaluate Solved</source>
        <translation>Gelöstes bewerten</translation>
    </message>
    <message>
        <location filename="../widgets/evaluation_panel.cpp" line="117"/>
        <source>Quantize the plan (GPTQ/AWQ) first: its solved result is then evaluated here, on the same windows as the plan and the original</source>
        <translation>Quantisieren Sie zuerst den Plan (GPTQ/AWQ): Sein gelöstes Ergebnis wird dann hier bewertet, auf denselben Fenstern wie der Plan und das Original</translation>
    </message>
    <message>
        <location filename="../widgets/evaluation_panel.cpp" line="119"/>
        <source>Evaluate %1: the written checkpoint, on the same windows as the plan and the original</source>
        <translation>%1 bewerten: den geschriebenen Checkpoint, auf denselben Fenstern wie der Plan und das Original</translation>
    </message>
    <message>
        <location filename="../widgets/evaluation_panel.cpp" line="121"/>
        <source>Text: %1</source>
        <translation>Text: %1</translation>
    </message>
    <message>
        <location filename="../widgets/evaluation_panel.cpp" line="122"/>
        <source>A held-out sample: the 2011 State of the Union address</source>
        <translation>Eine zurückgehaltene Stichprobe: die Rede zur Lage der Nation 2011</translation>
    </message>
    <message>
        <location filename="../widgets/evaluation_panel.cpp" line="123"/>
        <source>Choose Text…</source>
        <translation>Text wählen…</translation>
    </message>
    <message>
        <location filename="../widgets/evaluation_panel.cpp" line="124"/>
        <source>Built-in Text</source>
        <translation>Eingebauter Text</translation>
    </message>
    <message>
        <location filename="../widgets/evaluation_panel.cpp" line="126"/>
        <source>Clear</source>
        <translation>Leeren</translation>
    </message>
    <message>
        <location filename="../widgets/evaluation_panel.cpp" line="127"/>
        <source>Forget the rows of this session</source>
        <translation>Die Zeilen dieser Sitzung verwerfen</translation>
    </message>
    <message>
        <location filename="../widgets/evaluation_panel.cpp" line="128"/>
        <source>Evaluation history</source>
        <translation>Bewertungsverlauf</translation>
    </message>
</context>
<context>
    <name>qs::EvaluationSession</name>
    <message>
        <location filename="../widgets/evaluation_session.cpp" line="28"/>
        <source>built-in sample</source>
        <translation>eingebaute Stichprobe</translation>
    </message>
</context>
<context>
    <name>qs::FormatDelegate</name>
    <message>
        <location filename="../widgets/format_delegate.cpp" line="53"/>
        <source>Other…</source>
        <translation>Andere…</translation>
    </message>
    <message>
        <location filename="../widgets/format_delegate.cpp" line="54"/>
        <source>Another GPTQ, AWQ or RTN format: method, bits, group size, symmetric</source>
        <translation>Ein anderes GPTQ-, AWQ- oder RTN-Format: Verfahren, Bits, Gruppengröße, symmetrisch</translation>
    </message>
    <message>
        <location filename="../widgets/format_delegate.cpp" line="56"/>
        <source>Format</source>
        <translation>Format</translation>
    </message>
    <message>
        <location filename="../widgets/format_delegate.cpp" line="57"/>
        <source>The format: a GGUF type for llama.cpp, or an integer group format (GPTQ, AWQ, RTN) for a Hugging Face checkpoint</source>
        <translation>Das Format: ein GGUF-Typ für llama.cpp oder ein ganzzahliges Gruppenformat (GPTQ, AWQ, RTN) für einen Hugging-Face-Checkpoint</translation>
    </message>
</context>
<context>
    <name>qs::GroupFormatDialog</name>
    <message>
        <location filename="../widgets/group_format_dialog.cpp" line="14"/>
        <source>Integer group format</source>
        <translation>Ganzzahliges Gruppenformat</translation>
    </message>
    <message>
        <location filename="../widgets/group_format_dialog.cpp" line="26"/>
        <source>Symmetric (no zero point)</source>
        <translation>Symmetrisch (ohne Nullpunkt)</translation>
    </message>
    <message>
        <location filename="../widgets/group_format_dialog.cpp" line="28"/>
        <source>Method:</source>
        <translation>Verfahren:</translation>
    </message>
    <message>
        <location filename="../widgets/group_format_dialog.cpp" line="29"/>
        <source>Bits:</source>
        <translation>Bits:</translation>
    </message>
    <message>
        <location filename="../widgets/group_format_dialog.cpp" line="30"/>
        <source>Group:</source>
        <translation>Gruppe:</translation>
    </message>
    <message>
        <location filename="../widgets/group_format_dialog.cpp" line="76"/>
        <source>GPTQ: error-compensated rounding on calibration text; AWQ: activation-aware scaling; RTN: round to nearest</source>
        <translation>GPTQ: fehlerkompensiertes Runden anhand eines Kalibriertexts; AWQ: aktivierungsbewusste Skalierung; RTN: Runden zum nächsten Wert</translation>
    </message>
    <message>
        <location filename="../widgets/group_format_dialog.cpp" line="79"/>
        <source>%1-bit</source>
        <translation>%1 Bit</translation>
    </message>
    <message>
        <location filename="../widgets/group_format_dialog.cpp" line="80"/>
        <source>Bits per weight of the integers</source>
        <translation>Bits je Gewicht der ganzen Zahlen</translation>
    </message>
    <message>
        <location filename="../widgets/group_format_dialog.cpp" line="85"/>
        <source>per-channel</source>
        <translation>pro Kanal</translation>
    </message>
    <message>
        <location filename="../widgets/group_format_dialog.cpp" line="87"/>
        <source>Input columns that share one scale: a group size, or one scale per output row (per-channel)</source>
        <translation>Eingabespalten, die sich eine Skala teilen: eine Gruppengröße oder eine Skala je Ausgabezeile (pro Kanal)</translation>
    </message>
</context>
<context>
    <name>qs::HeatmapWidget</name>
    <message>
        <location filename="../widgets/heatmap_widget.cpp" line="42"/>
        <source>Error heatmap</source>
        <translation>Fehler-Heatmap</translation>
    </message>
    <message>
        <location filename="../widgets/heatmap_widget.cpp" line="43"/>
        <source>Quantization error over rows (down) and blocks (across): hover for values, wheel to zoom, drag to pan, double-click to see it all</source>
        <translation>Quantisierungsfehler über Zeilen (abwärts) und Blöcke (quer): für Werte darüberfahren, Mausrad zum Zoomen, Ziehen zum Verschieben, Doppelklick für alles</translation>
    </message>
    <message>
        <location filename="../widgets/heatmap_widget.cpp" line="65"/>
        <source>%1 — this project was saved without the signed error; analyse again to see it</source>
        <translation>%1 – dieses Projekt wurde ohne vorzeichenbehafteten Fehler gespeichert; erneut analysieren, um ihn zu sehen</translation>
    </message>
    <message>
        <location filename="../widgets/heatmap_widget.cpp" line="94"/>
        <source>mean |error| (weight units)</source>
        <translation>mittlerer |Fehler| (Gewichtseinheiten)</translation>
    </message>
    <message>
        <location filename="../widgets/heatmap_widget.cpp" line="96"/>
        <source>max |error| (weight units)</source>
        <translation>maximaler |Fehler| (Gewichtseinheiten)</translation>
    </message>
    <message>
        <location filename="../widgets/heatmap_widget.cpp" line="98"/>
        <source>quantization step (weight units)</source>
        <translation>Quantisierungsschritt (Gewichtseinheiten)</translation>
    </message>
    <message>
        <location filename="../widgets/heatmap_widget.cpp" line="102"/>
        <source>signed error Q(W) − W (weight units)</source>
        <translation>vorzeichenbehafteter Fehler Q(W) − W (Gewichtseinheiten)</translation>
    </message>
    <message>
        <location filename="../widgets/heatmap_widget.cpp" line="105"/>
        <source>row</source>
        <translation>Zeile</translation>
    </message>
    <message>
        <location filename="../widgets/heatmap_widget.cpp" line="109"/>
        <source>block along the row (%1 weights each)</source>
        <translation>Block entlang der Zeile (je %1 Gewichte)</translation>
    </message>
    <message>
        <location filename="../widgets/heatmap_widget.cpp" line="154"/>
        <source>Run an analysis to see where the error lies</source>
        <translation>Eine Analyse starten, um zu sehen, wo der Fehler liegt</translation>
    </message>
    <message>
        <location filename="../widgets/heatmap_widget.cpp" line="237"/>
        <source>rows %1-%2, blocks %3-%4: %5</source>
        <translation>Zeilen %1–%2, Blöcke %3–%4: %5</translation>
    </message>
</context>
<context>
    <name>qs::HistogramView</name>
    <message>
        <location filename="../widgets/histogram_view.cpp" line="23"/>
        <source>Weight histogram</source>
        <translation>Gewichtshistogramm</translation>
    </message>
    <message>
        <location filename="../widgets/histogram_view.cpp" line="24"/>
        <source>How the selected tensor&apos;s weights are distributed, before and after quantization</source>
        <translation>Wie die Gewichte des gewählten Tensors verteilt sind, vor und nach der Quantisierung</translation>
    </message>
    <message>
        <location filename="../widgets/histogram_view.cpp" line="108"/>
        <source>error under %1</source>
        <translation>Fehler unter %1</translation>
    </message>
    <message>
        <location filename="../widgets/histogram_view.cpp" line="108"/>
        <source>error of the %1</source>
        <translation>Fehler des %1</translation>
    </message>
    <message>
        <location filename="../widgets/histogram_view.cpp" line="111"/>
        <source>original</source>
        <translation>Original</translation>
    </message>
    <message>
        <location filename="../widgets/histogram_view.cpp" line="113"/>
        <source>after %1</source>
        <translation>nach %1</translation>
    </message>
    <message>
        <location filename="../widgets/histogram_view.cpp" line="116"/>
        <source>levels of block %1</source>
        <translation>Stufen von Block %1</translation>
    </message>
    <message>
        <location filename="../widgets/histogram_view.cpp" line="125"/>
        <source>Select a tensor to see its weights</source>
        <translation>Einen Tensor wählen, um seine Gewichte zu sehen</translation>
    </message>
    <message>
        <location filename="../widgets/histogram_view.cpp" line="129"/>
        <source>error (original - quantized)</source>
        <translation>Fehler (Original − quantisiert)</translation>
    </message>
    <message>
        <location filename="../widgets/histogram_view.cpp" line="129"/>
        <source>weight value</source>
        <translation>Gewichtswert</translation>
    </message>
    <message>
        <location filename="../widgets/histogram_view.cpp" line="138"/>
        <source>count (log)</source>
        <translation>Anzahl (log)</translation>
    </message>
    <message>
        <location filename="../widgets/histogram_view.cpp" line="145"/>
        <source>count</source>
        <translation>Anzahl</translation>
    </message>
</context>
<context>
    <name>qs::JobRunner</name>
    <message>
        <location filename="../widgets/job_runner.cpp" line="76"/>
        <location filename="../widgets/job_runner.cpp" line="88"/>
        <source> — %1 of %2</source>
        <translation> – %1 von %2</translation>
    </message>
    <message>
        <location filename="../widgets/job_runner.cpp" line="79"/>
        <source> — token %1 of %2</source>
        <translation> — Token %1 von %2</translation>
    </message>
    <message>
        <location filename="../widgets/job_runner.cpp" line="82"/>
        <source> — layer %1 of %2</source>
        <translation> — Schicht %1 von %2</translation>
    </message>
    <message>
        <location filename="../widgets/job_runner.cpp" line="85"/>
        <source> — tensor %1 of %2</source>
        <translation> — Tensor %1 von %2</translation>
    </message>
    <message>
        <location filename="../widgets/job_runner.cpp" line="93"/>
        <source>, about %1 s left</source>
        <translation>, noch etwa %1 s</translation>
    </message>
</context>
<context>
    <name>qs::JobStatus</name>
    <message>
        <location filename="../widgets/job_status.cpp" line="52"/>
        <source>Progress</source>
        <translation>Fortschritt</translation>
    </message>
    <message>
        <location filename="../widgets/job_status.cpp" line="53"/>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <location filename="../widgets/job_status.cpp" line="54"/>
        <source>Stop the running job (Esc)</source>
        <translation>Den laufenden Auftrag anhalten (Esc)</translation>
    </message>
</context>
<context>
    <name>qs::LayerGroupModel</name>
    <message>
        <location filename="../widgets/layer_group_model.cpp" line="128"/>
        <source>The layer&apos;s error under the plan: the root of its tensors&apos; squared relative errors, weighted by their parameters, over the tensors the analysis measured in their planned format</source>
        <translation>Der Fehler der Schicht unter dem Plan: die Wurzel der quadrierten relativen Fehler ihrer Tensoren, nach Parametern gewichtet, über die Tensoren, die die Analyse in ihrem geplanten Format gemessen hat</translation>
    </message>
    <message>
        <location filename="../widgets/layer_group_model.cpp" line="145"/>
        <source>Layer %1</source>
        <translation>Schicht %1</translation>
    </message>
    <message>
        <location filename="../widgets/layer_group_model.cpp" line="145"/>
        <source>Model-wide (embeddings, output, norms)</source>
        <translation>Modellweit (Embeddings, Ausgabe, Normen)</translation>
    </message>
    <message numerus="yes">
        <location filename="../widgets/layer_group_model.cpp" line="146"/>
        <source>%1 — %n tensor(s)</source>
        <translation>
            <numerusform>%1 — %n Tensor</numerusform>
            <numerusform>%1 — %n Tensoren</numerusform>
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
        <translation>Hardwarebericht %1 geschrieben</translation>
    </message>
    <message>
        <location filename="../widgets/main_window.cpp" line="823"/>
        <source>Error message</source>
        <translation>Fehlermeldung</translation>
    </message>
    <message>
        <location filename="../widgets/main_window_menus.cpp" line="72"/>
        <source>Reports (*.html *.pdf *.md *.json)</source>
        <translation>Berichte (*.html *.pdf *.md *.json)</translation>
    </message>
    <message>
        <location filename="../widgets/main_window.cpp" line="156"/>
        <source>Analysing %1</source>
        <translation>Analysiere %1</translation>
    </message>
    <message>
        <location filename="../widgets/main_window.cpp" line="307"/>
        <source>Plan: %1</source>
        <translation>Plan: %1</translation>
    </message>
    <message>
        <location filename="../widgets/main_window.cpp" line="492"/>
        <source>Wrote %1 (%2)</source>
        <translation>%1 geschrieben (%2)</translation>
    </message>
    <message>
        <location filename="../widgets/main_window.cpp" line="495"/>
        <source>Export cancelled; nothing was written</source>
        <translation>Export abgebrochen; nichts wurde geschrieben</translation>
    </message>
    <message>
        <location filename="../widgets/main_window.cpp" line="243"/>
        <source>Open a model to begin: File ▸ Open Model Folder, or File ▸ Open Demo Model.</source>
        <translation>Zum Beginnen ein Modell öffnen: Datei ▸ Modellordner öffnen oder Datei ▸ Demomodell öffnen.</translation>
    </message>
    <message>
        <location filename="../widgets/main_window_menus.cpp" line="29"/>
        <source>&amp;File</source>
        <translation>&amp;Datei</translation>
    </message>
    <message>
        <location filename="../widgets/main_window_menus.cpp" line="30"/>
        <source>Open Model &amp;Folder…</source>
        <translation>Modell&amp;ordner öffnen…</translation>
    </message>
    <message>
        <location filename="../widgets/main_window_menus.cpp" line="31"/>
        <source>Open a Hugging Face model folder</source>
        <translation>Einen Hugging-Face-Modellordner öffnen</translation>
    </message>
    <message>
        <location filename="../widgets/main_window_menus.cpp" line="36"/>
        <source>Open a folder with config.json and safetensors files</source>
        <translation>Einen Ordner mit config.json und safetensors-Dateien öffnen</translation>
    </message>
    <message>
        <location filename="../widgets/main_window_menus.cpp" line="37"/>
        <source>Open &amp;GGUF File…</source>
        <translation>&amp;GGUF-Datei öffnen…</translation>
    </message>
    <message>
        <location filename="../widgets/main_window_menus.cpp" line="38"/>
        <source>Open a GGUF file</source>
        <translation>Eine GGUF-Datei öffnen</translation>
    </message>
    <message>
        <location filename="../widgets/main_window_menus.cpp" line="38"/>
        <source>GGUF models (*.gguf);;All files (*)</source>
        <translation>GGUF-Modelle (*.gguf);;Alle Dateien (*)</translation>
    </message>
    <message>
        <location filename="../widgets/main_window_menus.cpp" line="43"/>
        <source>Open &amp;Demo Model</source>
        <translation>&amp;Demomodell öffnen</translation>
    </message>
    <message>
        <location filename="../widgets/main_window_menus.cpp" line="45"/>
        <source>Open the built-in 2.6M-parameter demo model (sotu-mini)</source>
        <translation>Das eingebaute Demomodell mit 2,6 Mio. Parametern öffnen (sotu-mini)</translation>
    </message>
    <message>
        <location filename="../widgets/main_window_menus.cpp" line="46"/>
        <source>Open &amp;Recent</source>
        <translation>&amp;Zuletzt geöffnet</translation>
    </message>
    <message>
        <location filename="../widgets/main_window_menus.cpp" line="48"/>
        <source>Open &amp;Project…</source>
        <translation>&amp;Projekt öffnen…</translation>
    </message>
    <message>
        <location filename="../widgets/main_window_menus.cpp" line="49"/>
        <source>Open a Quantscope project</source>
        <translation>Ein Quantscope-Projekt öffnen</translation>
    </message>
    <message>
        <location filename="../widgets/main_window_menus.cpp" line="49"/>
        <source>Quantscope projects (*.qsproj);;All files (*)</source>
        <translation>Quantscope-Projekte (*.qsproj);;Alle Dateien (*)</translation>
    </message>
    <message>
        <location filename="../widgets/main_window_menus.cpp" line="54"/>
        <source>&amp;Save Project…</source>
        <translation>Projekt &amp;speichern…</translation>
    </message>
    <message>
        <location filename="../widgets/main_window_menus.cpp" line="55"/>
        <source>Save the project</source>
        <translation>Das Projekt speichern</translation>
    </message>
    <message>
        <location filename="../widgets/main_window_menus.cpp" line="55"/>
        <source>Quantscope projects (*.qsproj)</source>
        <translation>Quantscope-Projekte (*.qsproj)</translation>
    </message>
    <message>
        <location filename="../widgets/main_window_menus.cpp" line="60"/>
        <source>Save the plan and every measurement, to reopen without recomputing</source>
        <translation>Den Plan und alle Messungen speichern, um ohne Neuberechnung wieder zu öffnen</translation>
    </message>
    <message>
        <location filename="../widgets/main_window_menus.cpp" line="62"/>
        <source>&amp;Export GGUF…</source>
        <translation>GGUF &amp;exportieren…</translation>
    </message>
    <message>
        <location filename="../widgets/main_window_menus.cpp" line="63"/>
        <source>Export GGUF</source>
        <translation>GGUF exportieren</translation>
    </message>
    <message>
        <location filename="../widgets/main_window_menus.cpp" line="63"/>
        <source>GGUF models (*.gguf)</source>
        <translation>GGUF-Modelle (*.gguf)</translation>
    </message>
    <message>
        <location filename="../widgets/main_window_menus.cpp" line="68"/>
        <source>Write the model under the current plan as a GGUF file llama.cpp loads</source>
        <translation>Das Modell nach dem aktuellen Plan als GGUF-Datei schreiben, die llama.cpp lädt</translation>
    </message>
    <message>
        <location filename="../widgets/main_window_menus.cpp" line="70"/>
        <source>Export &amp;Hardware Report…</source>
        <translation>&amp;Hardwarebericht exportieren…</translation>
    </message>
    <message>
        <location filename="../widgets/main_window_menus.cpp" line="71"/>
        <source>Export Hardware Report</source>
        <translation>Hardwarebericht exportieren</translation>
    </message>
    <message>
        <location filename="../widgets/main_window_menus.cpp" line="76"/>
        <source>Memory, longest context and speed of the current plan on the chosen device and common GPUs</source>
        <translation>Speicher, längster Kontext und Geschwindigkeit des aktuellen Plans auf dem gewählten Gerät und gängigen GPUs</translation>
    </message>
    <message>
        <location filename="../widgets/main_window_menus.cpp" line="77"/>
        <source>Open &amp;Containing Folder</source>
        <translation>Enthaltenden &amp;Ordner öffnen</translation>
    </message>
    <message>
        <location filename="../widgets/main_window_menus.cpp" line="82"/>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <location filename="../widgets/main_window_menus.cpp" line="85"/>
        <source>&amp;Edit</source>
        <translation>&amp;Bearbeiten</translation>
    </message>
    <message>
        <location filename="../widgets/main_window_menus.cpp" line="86"/>
        <source>&amp;Undo</source>
        <translation>&amp;Rückgängig</translation>
    </message>
    <message>
        <location filename="../widgets/main_window_menus.cpp" line="88"/>
        <source>&amp;Redo</source>
        <translation>&amp;Wiederholen</translation>
    </message>
    <message>
        <location filename="../widgets/main_window_menus.cpp" line="94"/>
        <source>&amp;Plan</source>
        <translation>&amp;Plan</translation>
    </message>
    <message>
        <location filename="../widgets/main_window_menus.cpp" line="95"/>
        <source>&amp;Load Plan…</source>
        <translation>Plan &amp;laden…</translation>
    </message>
    <message>
        <location filename="../widgets/main_window_menus.cpp" line="96"/>
        <source>Load a plan</source>
        <translation>Einen Plan laden</translation>
    </message>
    <message>
        <location filename="../widgets/main_window_menus.cpp" line="96"/>
        <location filename="../widgets/main_window_menus.cpp" line="102"/>
        <source>Quantscope plans (*.json)</source>
        <translation>Quantscope-Pläne (*.json)</translation>
    </message>
    <message>
        <location filename="../widgets/main_window_menus.cpp" line="100"/>
        <source>Replace the plan with one saved as JSON (undoable)</source>
        <translation>Den Plan durch einen als JSON gespeicherten ersetzen (rückgängig machbar)</translation>
    </message>
    <message>
        <location filename="../widgets/main_window_menus.cpp" line="101"/>
        <source>&amp;Save Plan…</source>
        <translation>Plan &amp;speichern…</translation>
    </message>
    <message>
        <location filename="../widgets/main_window_menus.cpp" line="102"/>
        <source>Save the plan</source>
        <translation>Den Plan speichern</translation>
    </message>
    <message>
        <location filename="../widgets/main_window_menus.cpp" line="106"/>
        <source>Write the plan as JSON: quantscope-cli quantize --plan FILE applies it</source>
        <translation>Den Plan als JSON schreiben: quantscope-cli quantize --plan DATEI wendet ihn an</translation>
    </message>
    <message>
        <location filename="../widgets/main_window_menus.cpp" line="107"/>
        <source>&amp;Copy llama-quantize Arguments</source>
        <translation>llama-quantize-Argumente &amp;kopieren</translation>
    </message>
    <message>
        <location filename="../widgets/main_window_menus.cpp" line="109"/>
        <source>This plan holds GPTQ/AWQ choices, which llama-quantize cannot express.</source>
        <translation>Dieser Plan enthält GPTQ/AWQ-Entscheidungen, die llama-quantize nicht ausdrücken kann.</translation>
    </message>
    <message>
        <location filename="../widgets/main_window_menus.cpp" line="113"/>
        <source>Copied: %1</source>
        <translation>Kopiert: %1</translation>
    </message>
    <message>
        <location filename="../widgets/main_window_menus.cpp" line="115"/>
        <source>The same plan as llama-quantize arguments (--tensor-type rules for the choices made here)</source>
        <translation>Derselbe Plan als llama-quantize-Argumente (--tensor-type-Regeln für die hier getroffenen Entscheidungen)</translation>
    </message>
    <message>
        <location filename="../widgets/main_window_menus.cpp" line="117"/>
        <source>&amp;Analysis</source>
        <translation>&amp;Analyse</translation>
    </message>
    <message>
        <location filename="../widgets/main_window_menus.cpp" line="118"/>
        <source>&amp;Analyze Tensors</source>
        <translation>Tensoren &amp;analysieren</translation>
    </message>
    <message>
        <location filename="../widgets/main_window_menus.cpp" line="120"/>
        <source>Measure every tensor&apos;s statistics and the error of Q4_K, Q6_K, Q8_0 and int4-g128-asym</source>
        <translation>Die Statistik jedes Tensors und den Fehler von Q4_K, Q6_K, Q8_0 und int4-g128-asym messen</translation>
    </message>
    <message>
        <location filename="../widgets/main_window_menus.cpp" line="121"/>
        <source>Measure &amp;Sensitivity</source>
        <translation>E&amp;mpfindlichkeit messen</translation>
    </message>
    <message>
        <location filename="../widgets/main_window_menus.cpp" line="122"/>
        <source>For every weight and Q2_K, Q4_K, Q6_K: the KL-divergence when only that weight is quantized, on the built-in text; saved with the project</source>
        <translation>Für jedes Gewicht und Q2_K, Q4_K, Q6_K: die KL-Divergenz, wenn nur dieses Gewicht quantisiert wird, auf dem eingebauten Text; wird mit dem Projekt gespeichert</translation>
    </message>
    <message>
        <location filename="../widgets/main_window_menus.cpp" line="125"/>
        <source>The plan of least measured damage within a size, from the measured sensitivity, re-solved as the budget moves</source>
        <translation>Der Plan mit dem geringsten gemessenen Schaden innerhalb einer Größe, aus der gemessenen Empfindlichkeit, neu gelöst, während sich das Budget bewegt</translation>
    </message>
    <message>
        <location filename="../widgets/main_window_menus.cpp" line="128"/>
        <source>&amp;Evaluate Plan</source>
        <translation>Plan &amp;bewerten</translation>
    </message>
    <message>
        <location filename="../widgets/main_window_menus.cpp" line="130"/>
        <source>Perplexity and KL-divergence of the model under the current plan, against the unquantized model</source>
        <translation>Perplexität und KL-Divergenz des Modells unter dem aktuellen Plan, verglichen mit dem unquantisierten Modell</translation>
    </message>
    <message>
        <location filename="../widgets/main_window_menus.cpp" line="132"/>
        <source>Evaluate &amp;Original</source>
        <translation>&amp;Original bewerten</translation>
    </message>
    <message>
        <location filename="../widgets/main_window_menus.cpp" line="133"/>
        <source>Perplexity of the unquantized model: the reference row of the evaluation history</source>
        <translation>Perplexität des unquantisierten Modells: die Referenzzeile des Bewertungsverlaufs</translation>
    </message>
    <message>
        <location filename="../widgets/main_window_menus.cpp" line="134"/>
        <source>Evaluation &amp;Text…</source>
        <translation>Bewertungs&amp;text…</translation>
    </message>
    <message>
        <location filename="../widgets/main_window_menus.cpp" line="135"/>
        <source>Evaluate on a text</source>
        <translation>Auf einem Text bewerten</translation>
    </message>
    <message>
        <location filename="../widgets/main_window_menus.cpp" line="135"/>
        <source>UTF-8 text (*.txt);;All files (*)</source>
        <translation>UTF-8-Text (*.txt);;Alle Dateien (*)</translation>
    </message>
    <message>
        <location filename="../widgets/main_window_menus.cpp" line="139"/>
        <source>&amp;Built-in Evaluation Text</source>
        <translation>&amp;Eingebauter Bewertungstext</translation>
    </message>
    <message>
        <location filename="../widgets/main_window_menus.cpp" line="140"/>
        <source>&amp;Predict Next Token</source>
        <translation>Nächstes Token &amp;vorhersagen</translation>
    </message>
    <message>
        <location filename="../widgets/main_window_menus.cpp" line="143"/>
        <source>&amp;Cancel</source>
        <translation>&amp;Abbrechen</translation>
    </message>
    <message>
        <location filename="../widgets/main_window_menus.cpp" line="146"/>
        <source>&amp;View</source>
        <translation>A&amp;nsicht</translation>
    </message>
    <message>
        <location filename="../widgets/main_window_menus.cpp" line="153"/>
        <source>&amp;Settings</source>
        <translation>&amp;Einstellungen</translation>
    </message>
    <message>
        <location filename="../widgets/main_window_menus.cpp" line="154"/>
        <source>&amp;Threads…</source>
        <translation>&amp;Threads…</translation>
    </message>
    <message>
        <location filename="../widgets/main_window_menus.cpp" line="156"/>
        <source>Threads</source>
        <translation>Threads</translation>
    </message>
    <message>
        <location filename="../widgets/main_window_menus.cpp" line="156"/>
        <source>Worker threads (0: every hardware thread):</source>
        <translation>Arbeitsthreads (0: alle Hardware-Threads):</translation>
    </message>
    <message>
        <location filename="../widgets/main_window_menus.cpp" line="160"/>
        <source>&amp;Output Folder…</source>
        <translation>&amp;Ausgabeordner…</translation>
    </message>
    <message>
        <location filename="../widgets/main_window_menus.cpp" line="161"/>
        <source>Where exports go by default</source>
        <translation>Wohin Exporte standardmäßig gehen</translation>
    </message>
    <message>
        <location filename="../widgets/main_window_menus.cpp" line="165"/>
        <source>&amp;Dark Theme</source>
        <translation>&amp;Dunkles Design</translation>
    </message>
    <message>
        <location filename="../widgets/main_window_menus.cpp" line="168"/>
        <source>&amp;Language</source>
        <translation>&amp;Sprache</translation>
    </message>
    <message>
        <location filename="../widgets/main_window_menus.cpp" line="178"/>
        <source>&amp;Help</source>
        <translation>&amp;Hilfe</translation>
    </message>
    <message>
        <location filename="../widgets/main_window_menus.cpp" line="179"/>
        <source>&amp;About Quantscope</source>
        <translation>Über &amp;Quantscope</translation>
    </message>
    <message>
        <location filename="../widgets/main_window_menus.cpp" line="180"/>
        <source>About Quantscope</source>
        <translation>Über Quantscope</translation>
    </message>
    <message>
        <location filename="../widgets/main_window_menus.cpp" line="181"/>
        <source>&lt;b&gt;Quantscope %1&lt;/b&gt;&lt;p&gt;A quantization studio for large language models.&lt;/p&gt;</source>
        <translation>&lt;b&gt;Quantscope %1&lt;/b&gt;&lt;p&gt;Ein Quantisierungsstudio für große Sprachmodelle.&lt;/p&gt;</translation>
    </message>
    <message>
        <location filename="../widgets/main_window.cpp" line="324"/>
        <source>The built-in demo model is not installed. Set QUANTSCOPE_DEMO_MODEL to its folder.</source>
        <translation>Das eingebaute Demomodell ist nicht installiert. QUANTSCOPE_DEMO_MODEL auf seinen Ordner setzen.</translation>
    </message>
    <message>
        <location filename="../widgets/main_window.cpp" line="334"/>
        <source>Opening %1…</source>
        <translation>Öffne %1…</translation>
    </message>
    <message>
        <location filename="../widgets/main_window.cpp" line="354"/>
        <source>Could not open %1:
%2</source>
        <translation>%1 konnte nicht geöffnet werden:
%2</translation>
    </message>
    <message>
        <location filename="../widgets/main_window.cpp" line="359"/>
        <source>Open failed</source>
        <translation>Öffnen fehlgeschlagen</translation>
    </message>
    <message>
        <location filename="../widgets/main_window.cpp" line="381"/>
        <source>%1 — Quantscope</source>
        <translation>%1 — Quantscope</translation>
    </message>
    <message>
        <location filename="../widgets/main_window.cpp" line="382"/>
        <source>%1: %2 tensors, %3 parameters</source>
        <translation>%1: %2 Tensoren, %3 Parameter</translation>
    </message>
    <message>
        <location filename="../widgets/main_window.cpp" line="386"/>
        <source>Opened %1: %2 tensors</source>
        <translation>%1 geöffnet: %2 Tensoren</translation>
    </message>
    <message>
        <location filename="../widgets/main_window.cpp" line="392"/>
        <source>The model changed since %1 was saved (%2): its measurements were not loaded; analyse again.</source>
        <translation>Das Modell hat sich geändert, seit %1 gespeichert wurde (%2): seine Messungen wurden nicht geladen; erneut analysieren.</translation>
    </message>
    <message>
        <location filename="../widgets/main_window.cpp" line="406"/>
        <source>Opened the project %1</source>
        <translation>Projekt %1 geöffnet</translation>
    </message>
    <message>
        <location filename="../widgets/main_window.cpp" line="420"/>
        <source>%1 failed</source>
        <translation>%1 ist fehlgeschlagen</translation>
    </message>
    <message>
        <location filename="../widgets/main_window.cpp" line="421"/>
        <source>%1 failed:
%2</source>
        <translation>%1 ist fehlgeschlagen:
%2</translation>
    </message>
    <message>
        <location filename="../widgets/main_window.cpp" line="424"/>
        <source>%1 cancelled</source>
        <translation>%1 wurde abgebrochen</translation>
    </message>
    <message>
        <location filename="../widgets/main_window.cpp" line="459"/>
        <source>The analysis</source>
        <translation>Die Analyse</translation>
    </message>
    <message>
        <location filename="../widgets/main_window.cpp" line="462"/>
        <source>Analysing…</source>
        <translation>Analysiere…</translation>
    </message>
    <message>
        <location filename="../widgets/main_window.cpp" line="493"/>
        <source>The export</source>
        <translation>Der Export</translation>
    </message>
    <message>
        <location filename="../widgets/main_window.cpp" line="499"/>
        <source>Writing %1…</source>
        <translation>Schreibe %1 …</translation>
    </message>
    <message>
        <location filename="../widgets/main_window.cpp" line="564"/>
        <source>Measured the sensitivity of %1 weights in %2 formats in %3 s</source>
        <translation>Empfindlichkeit von %1 Gewichten in %2 Formaten in %3 s gemessen</translation>
    </message>
    <message>
        <location filename="../widgets/main_window.cpp" line="569"/>
        <source>The sensitivity measurement</source>
        <translation>Die Empfindlichkeitsmessung</translation>
    </message>
    <message>
        <location filename="../widgets/main_window.cpp" line="572"/>
        <source>Measuring the sensitivity on the built-in text…</source>
        <translation>Empfindlichkeit wird auf dem eingebauten Text gemessen…</translation>
    </message>
    <message>
        <location filename="../widgets/main_window.cpp" line="585"/>
        <source>Open a Hugging Face model folder to quantize it with GPTQ or AWQ</source>
        <translation>Öffnen Sie einen Hugging-Face-Modellordner, um ihn mit GPTQ oder AWQ zu quantisieren</translation>
    </message>
    <message>
        <location filename="../widgets/main_window.cpp" line="587"/>
        <source>GPTQ/AWQ checkpoints are made from a Hugging Face model folder (16- or 32-bit weights), not a GGUF file</source>
        <translation>GPTQ/AWQ-Checkpoints entstehen aus einem Hugging-Face-Modellordner (16- oder 32-Bit-Gewichte), nicht aus einer GGUF-Datei</translation>
    </message>
    <message>
        <location filename="../widgets/main_window.cpp" line="591"/>
        <source>A quantization is running</source>
        <translation>Eine Quantisierung läuft</translation>
    </message>
    <message>
        <location filename="../widgets/main_window.cpp" line="593"/>
        <source>Calibrate, solve the plan&apos;s GPTQ/AWQ formats and write the checkpoint folder transformers and vLLM load</source>
        <translation>Kalibrieren, die GPTQ/AWQ-Formate des Plans lösen und den Checkpoint-Ordner schreiben, den transformers und vLLM laden</translation>
    </message>
    <message>
        <location filename="../widgets/main_window.cpp" line="602"/>
        <source>Evaluate the checkpoint written to %1 against the unquantized model</source>
        <translation>Den nach %1 geschriebenen Checkpoint gegen das unquantisierte Modell bewerten</translation>
    </message>
    <message>
        <location filename="../widgets/main_window.cpp" line="603"/>
        <source>Quantize the plan first: there is no solved result to evaluate</source>
        <translation>Quantisieren Sie zuerst den Plan: Es gibt kein gelöstes Ergebnis zu bewerten</translation>
    </message>
    <message>
        <location filename="../widgets/main_window.cpp" line="604"/>
        <location filename="../widgets/main_window.cpp" line="689"/>
        <source>%1 (solved)</source>
        <translation>%1 (gelöst)</translation>
    </message>
    <message>
        <location filename="../widgets/main_window.cpp" line="650"/>
        <source>Wrote %1 (%2): %3 quantized weights in %4 s; every tensor reads back as solved</source>
        <translation>%1 geschrieben (%2): %3 quantisierte Gewichte in %4 s; jeder Tensor liest sich wie gelöst zurück</translation>
    </message>
    <message numerus="yes">
        <location filename="../widgets/main_window.cpp" line="654"/>
        <source> (the first %n layer(s) came from an earlier run that did not finish)</source>
        <translation>
            <numerusform> (die erste Schicht stammt aus einem früheren, nicht beendeten Lauf)</numerusform>
            <numerusform> (die ersten %n Schichten stammen aus einem früheren, nicht beendeten Lauf)</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../widgets/main_window.cpp" line="656"/>
        <source>The quantization</source>
        <translation>Die Quantisierung</translation>
    </message>
    <message>
        <location filename="../widgets/main_window.cpp" line="658"/>
        <source>Quantization cancelled; nothing was written to %1</source>
        <translation>Quantisierung abgebrochen; nach %1 wurde nichts geschrieben</translation>
    </message>
    <message>
        <location filename="../widgets/main_window.cpp" line="668"/>
        <source>Quantizing %1 into %2…</source>
        <translation>Quantisiere %1 nach %2…</translation>
    </message>
    <message>
        <location filename="../widgets/main_window.cpp" line="684"/>
        <source>Quantize the plan first: there is no solved result to evaluate.</source>
        <translation>Quantisieren Sie zuerst den Plan: Es gibt kein gelöstes Ergebnis zu bewerten.</translation>
    </message>
    <message>
        <location filename="../widgets/main_window.cpp" line="826"/>
        <source>Evaluation</source>
        <translation>Bewertung</translation>
    </message>
    <message>
        <location filename="../widgets/main_window.cpp" line="827"/>
        <source>Next Token</source>
        <translation>Nächstes Token</translation>
    </message>
    <message>
        <location filename="../widgets/main_window.cpp" line="828"/>
        <source>Fit to Budget</source>
        <translation>An Budget anpassen</translation>
    </message>
    <message>
        <location filename="../widgets/main_window.cpp" line="833"/>
        <source>&amp;Quantize (GPTQ/AWQ)…</source>
        <translation>&amp;Quantisieren (GPTQ/AWQ)…</translation>
    </message>
    <message>
        <location filename="../widgets/main_window.cpp" line="834"/>
        <source>Quantize…</source>
        <translation>Quantisieren…</translation>
    </message>
    <message>
        <location filename="../widgets/main_window.cpp" line="835"/>
        <source>Evaluate &amp;Solved Result</source>
        <translation>&amp;Gelöstes Ergebnis bewerten</translation>
    </message>
    <message>
        <location filename="../widgets/main_window.cpp" line="458"/>
        <source>Analysed %1 tensors in %2 s</source>
        <translation>%1 Tensoren in %2 s analysiert</translation>
    </message>
    <message>
        <location filename="../widgets/main_window.cpp" line="160"/>
        <source>Evaluating %1</source>
        <translation>Bewerte %1</translation>
    </message>
    <message>
        <location filename="../widgets/main_window.cpp" line="162"/>
        <source>Predicting with %1</source>
        <translation>Vorhersage mit %1</translation>
    </message>
    <message>
        <location filename="../widgets/main_window.cpp" line="165"/>
        <source>Measuring %1</source>
        <translation>Messe %1</translation>
    </message>
    <message>
        <location filename="../widgets/main_window.cpp" line="172"/>
        <source>Quantizing %1</source>
        <translation>Quantisiere %1</translation>
    </message>
    <message>
        <location filename="../widgets/main_window.cpp" line="547"/>
        <source>the original model</source>
        <translation>das Originalmodell</translation>
    </message>
    <message>
        <location filename="../widgets/main_window.cpp" line="530"/>
        <source>Evaluated %1: perplexity %2</source>
        <translation>%1 bewertet: Perplexität %2</translation>
    </message>
    <message>
        <location filename="../widgets/main_window.cpp" line="532"/>
        <source>The evaluation</source>
        <translation>Die Bewertung</translation>
    </message>
    <message>
        <location filename="../widgets/main_window.cpp" line="522"/>
        <source>Evaluating %1 on %2…</source>
        <translation>Bewerte %1 auf %2…</translation>
    </message>
    <message>
        <location filename="../widgets/main_window.cpp" line="589"/>
        <source>The plan names no GPTQ, AWQ or RTN formats: load a plan with group formats (Plan ▸ Load Plan…)</source>
        <translation>Der Plan nennt keine GPTQ-, AWQ- oder RTN-Formate: Laden Sie einen Plan mit Gruppenformaten (Plan ▸ Plan laden…)</translation>
    </message>
    <message>
        <location filename="../widgets/main_window.cpp" line="705"/>
        <source>Saved the plan to %1</source>
        <translation>Plan in %1 gespeichert</translation>
    </message>
    <message>
        <location filename="../widgets/main_window.cpp" line="715"/>
        <source>Loaded the plan %1</source>
        <translation>Plan %1 geladen</translation>
    </message>
    <message>
        <location filename="../widgets/main_window.cpp" line="768"/>
        <source>Could not save the project:
%1</source>
        <translation>Das Projekt konnte nicht gespeichert werden:
%1</translation>
    </message>
    <message>
        <location filename="../widgets/main_window.cpp" line="772"/>
        <source>Saved %1</source>
        <translation>%1 gespeichert</translation>
    </message>
    <message>
        <location filename="../widgets/main_window.cpp" line="781"/>
        <source>Could not open the project:
%1</source>
        <translation>Das Projekt konnte nicht geöffnet werden:
%1</translation>
    </message>
    <message>
        <location filename="../widgets/main_window.cpp" line="157"/>
        <source>Writing %1</source>
        <translation>Schreibe %1</translation>
    </message>
    <message>
        <location filename="../widgets/main_window.cpp" line="825"/>
        <location filename="../widgets/main_window.cpp" line="837"/>
        <source>Log</source>
        <translation>Protokoll</translation>
    </message>
</context>
<context>
    <name>qs::MemoryPanel</name>
    <message>
        <location filename="../widgets/memory_panel.cpp" line="127"/>
        <source>the budget</source>
        <translation>das Budget</translation>
    </message>
    <message>
        <location filename="../widgets/memory_panel.cpp" line="168"/>
        <source>A GPTQ/AWQ plan runs on transformers or vLLM: pick one of them</source>
        <translation>Ein GPTQ/AWQ-Plan läuft mit transformers oder vLLM: eines davon wählen</translation>
    </message>
    <message>
        <location filename="../widgets/memory_panel.cpp" line="174"/>
        <source>%1 loads Hugging Face checkpoints, not GGUF files</source>
        <translation>%1 lädt Hugging-Face-Checkpoints, keine GGUF-Dateien</translation>
    </message>
    <message>
        <location filename="../widgets/memory_panel.cpp" line="197"/>
        <source>%1 at %2 tokens, %3</source>
        <translation>%1 bei %2 Token, %3</translation>
    </message>
    <message>
        <location filename="../widgets/memory_panel.cpp" line="204"/>
        <source>Open a model first</source>
        <translation>Öffnen Sie zuerst ein Modell</translation>
    </message>
    <message>
        <location filename="../widgets/memory_panel.cpp" line="225"/>
        <source>Device:</source>
        <translation>Gerät:</translation>
    </message>
    <message>
        <location filename="../widgets/memory_panel.cpp" line="226"/>
        <source>Custom budget</source>
        <translation>Eigenes Budget</translation>
    </message>
    <message>
        <location filename="../widgets/memory_panel.cpp" line="227"/>
        <source>Device</source>
        <translation>Gerät</translation>
    </message>
    <message>
        <location filename="../widgets/memory_panel.cpp" line="228"/>
        <source>Runtime</source>
        <translation>Laufzeit</translation>
    </message>
    <message>
        <location filename="../widgets/memory_panel.cpp" line="229"/>
        <source>What runs the model: llama.cpp the GGUF plan; transformers or vLLM the checkpoint as stored, or the plan&apos;s GPTQ/AWQ choice</source>
        <translation>Was das Modell ausführt: llama.cpp den GGUF-Plan; transformers oder vLLM den Checkpoint wie gespeichert oder die GPTQ/AWQ-Wahl des Plans</translation>
    </message>
    <message>
        <location filename="../widgets/memory_panel.cpp" line="231"/>
        <source>The device the plan must fit: memory, context and speed are estimated for it</source>
        <translation>Das Gerät, auf das der Plan passen muss: Speicher, Kontext und Geschwindigkeit werden dafür geschätzt</translation>
    </message>
    <message>
        <location filename="../widgets/memory_panel.cpp" line="232"/>
        <source>Budget:</source>
        <translation>Budget:</translation>
    </message>
    <message>
        <location filename="../widgets/memory_panel.cpp" line="233"/>
        <source> MiB</source>
        <translation> MiB</translation>
    </message>
    <message>
        <location filename="../widgets/memory_panel.cpp" line="234"/>
        <source>Memory budget</source>
        <translation>Speicherbudget</translation>
    </message>
    <message>
        <location filename="../widgets/memory_panel.cpp" line="235"/>
        <source>The memory of a device not in the list</source>
        <translation>Der Speicher eines Geräts, das nicht in der Liste steht</translation>
    </message>
    <message>
        <location filename="../widgets/memory_panel.cpp" line="236"/>
        <source>Context:</source>
        <translation>Kontext:</translation>
    </message>
    <message>
        <location filename="../widgets/memory_panel.cpp" line="237"/>
        <source>Context length</source>
        <translation>Kontextlänge</translation>
    </message>
    <message>
        <location filename="../widgets/memory_panel.cpp" line="238"/>
        <source>Tokens the KV cache holds (llama.cpp, f16 cache)</source>
        <translation>Tokens, die der KV-Cache hält (llama.cpp, f16-Cache)</translation>
    </message>
</context>
<context>
    <name>qs::ModelCard</name>
    <message>
        <location filename="../widgets/model_card.cpp" line="16"/>
        <source>Model card</source>
        <translation>Modellsteckbrief</translation>
    </message>
    <message>
        <location filename="../widgets/model_card.cpp" line="33"/>
        <location filename="../widgets/model_card.cpp" line="37"/>
        <source>Model</source>
        <translation>Modell</translation>
    </message>
    <message>
        <location filename="../widgets/model_card.cpp" line="33"/>
        <source>No model open. Use File ▸ Open, drop a folder or .gguf file here, or open the demo model.</source>
        <translation>Kein Modell geöffnet. Datei ▸ Öffnen verwenden, einen Ordner oder eine .gguf-Datei hierher ziehen oder das Demomodell öffnen.</translation>
    </message>
    <message>
        <location filename="../widgets/model_card.cpp" line="38"/>
        <source>Format</source>
        <translation>Format</translation>
    </message>
    <message>
        <location filename="../widgets/model_card.cpp" line="39"/>
        <source>GGUF v%1</source>
        <translation>GGUF v%1</translation>
    </message>
    <message>
        <location filename="../widgets/model_card.cpp" line="40"/>
        <source>Hugging Face safetensors, one file</source>
        <translation>Hugging-Face-safetensors, eine Datei</translation>
    </message>
    <message>
        <location filename="../widgets/model_card.cpp" line="41"/>
        <source>Hugging Face safetensors, %1 shards</source>
        <translation>Hugging-Face-safetensors, %1 Teile</translation>
    </message>
    <message>
        <location filename="../widgets/model_card.cpp" line="42"/>
        <source>Architecture</source>
        <translation>Architektur</translation>
    </message>
    <message>
        <location filename="../widgets/model_card.cpp" line="43"/>
        <source>Layers</source>
        <translation>Schichten</translation>
    </message>
    <message>
        <location filename="../widgets/model_card.cpp" line="44"/>
        <source>Hidden size</source>
        <translation>Verborgene Größe</translation>
    </message>
    <message>
        <location filename="../widgets/model_card.cpp" line="45"/>
        <source>%1 / %2 KV</source>
        <translation>%1 / %2 KV</translation>
    </message>
    <message>
        <location filename="../widgets/model_card.cpp" line="47"/>
        <source> (GQA %1:1)</source>
        <translation> (GQA %1:1)</translation>
    </message>
    <message>
        <location filename="../widgets/model_card.cpp" line="48"/>
        <source>Heads</source>
        <translation>Köpfe</translation>
    </message>
    <message>
        <location filename="../widgets/model_card.cpp" line="48"/>
        <source>Query heads / key-value heads</source>
        <translation>Query-Köpfe / Key-Value-Köpfe</translation>
    </message>
    <message>
        <location filename="../widgets/model_card.cpp" line="49"/>
        <source>Head dim</source>
        <translation>Kopfdimension</translation>
    </message>
    <message>
        <location filename="../widgets/model_card.cpp" line="50"/>
        <source>FFN size</source>
        <translation>FFN-Größe</translation>
    </message>
    <message>
        <location filename="../widgets/model_card.cpp" line="51"/>
        <source>Vocabulary</source>
        <translation>Vokabular</translation>
    </message>
    <message>
        <location filename="../widgets/model_card.cpp" line="52"/>
        <source>Context</source>
        <translation>Kontext</translation>
    </message>
    <message>
        <location filename="../widgets/model_card.cpp" line="53"/>
        <source>Embeddings</source>
        <translation>Einbettungen</translation>
    </message>
    <message>
        <location filename="../widgets/model_card.cpp" line="53"/>
        <source>tied to the output</source>
        <translation>mit der Ausgabe geteilt</translation>
    </message>
    <message>
        <location filename="../widgets/model_card.cpp" line="53"/>
        <source>separate output head</source>
        <translation>eigener Ausgabekopf</translation>
    </message>
    <message>
        <location filename="../widgets/model_card.cpp" line="54"/>
        <source>Parameters</source>
        <translation>Parameter</translation>
    </message>
    <message>
        <location filename="../widgets/model_card.cpp" line="55"/>
        <source>Storage</source>
        <translation>Speicherformat</translation>
    </message>
    <message>
        <location filename="../widgets/model_card.cpp" line="56"/>
        <source>The storage type holding most of the weight bytes</source>
        <translation>Das Speicherformat, das die meisten Gewichtsbytes hält</translation>
    </message>
    <message>
        <location filename="../widgets/model_card.cpp" line="57"/>
        <source>Size on disk</source>
        <translation>Größe auf der Platte</translation>
    </message>
    <message>
        <location filename="../widgets/model_card.cpp" line="58"/>
        <source>Tensors</source>
        <translation>Tensoren</translation>
    </message>
    <message>
        <location filename="../widgets/model_card.cpp" line="60"/>
        <source>Warning</source>
        <translation>Warnung</translation>
    </message>
</context>
<context>
    <name>qs::ModelMapWidget</name>
    <message>
        <location filename="../widgets/model_map_widget.cpp" line="60"/>
        <source>Model bits map</source>
        <translation>Bits-Karte des Modells</translation>
    </message>
    <message>
        <location filename="../widgets/model_map_widget.cpp" line="61"/>
        <source>Bits per weight each tensor gets under the plan: the embedding, the layers down with tensor kinds across, the output; click to select</source>
        <translation>Bits pro Gewicht, die jeder Tensor im Plan erhält: die Einbettung, die Schichten nach unten und die Tensorarten nach rechts, die Ausgabe; zum Auswählen klicken</translation>
    </message>
    <message>
        <location filename="../widgets/model_map_widget.cpp" line="64"/>
        <source>Model sensitivity map</source>
        <translation>Empfindlichkeitskarte des Modells</translation>
    </message>
    <message>
        <location filename="../widgets/model_map_widget.cpp" line="65"/>
        <source>Measured KL-divergence when only that tensor is quantized: the embedding, the layers down with tensor kinds across, the output; click to select</source>
        <translation>Gemessene KL-Divergenz, wenn nur dieser Tensor quantisiert wird: die Einbettung, die Schichten nach unten mit den Tensorarten nach rechts, die Ausgabe; zum Auswählen klicken</translation>
    </message>
    <message>
        <location filename="../widgets/model_map_widget.cpp" line="68"/>
        <source>Model error map</source>
        <translation>Fehlerkarte des Modells</translation>
    </message>
    <message>
        <location filename="../widgets/model_map_widget.cpp" line="69"/>
        <source>Relative error of each tensor under the plan: the embedding, the layers down with tensor kinds across, the output; click to select</source>
        <translation>Relativer Fehler jedes Tensors unter dem Plan: die Einbettung, die Schichten nach unten mit den Tensorarten nach rechts, die Ausgabe; zum Auswählen klicken</translation>
    </message>
    <message>
        <location filename="../widgets/model_map_widget.cpp" line="214"/>
        <source>Bits per weight each tensor gets under the plan (its planned bytes over its weights)</source>
        <translation>Bits pro Gewicht, die jeder Tensor im Plan erhält (seine geplanten Bytes durch seine Gewichte)</translation>
    </message>
    <message>
        <location filename="../widgets/model_map_widget.cpp" line="217"/>
        <source>Measured sensitivity: not measured yet</source>
        <translation>Gemessene Empfindlichkeit: noch nicht gemessen</translation>
    </message>
    <message>
        <location filename="../widgets/model_map_widget.cpp" line="218"/>
        <source>KL-divergence from the unquantized model when only that tensor is quantized as %1 (%2 windows of %3 tokens)</source>
        <translation>KL-Divergenz vom unquantisierten Modell, wenn nur dieser Tensor als %1 quantisiert wird (%2 Fenster zu %3 Token)</translation>
    </message>
    <message>
        <location filename="../widgets/model_map_widget.cpp" line="222"/>
        <source>Relative error ‖Q(W) − W‖ / ‖W‖ of each tensor in the format the plan gives it</source>
        <translation>Relativer Fehler ‖Q(W) − W‖ / ‖W‖ jedes Tensors im Format, das der Plan ihm gibt</translation>
    </message>
    <message>
        <location filename="../widgets/model_map_widget.cpp" line="228"/>
        <source>bits per weight (log scale)</source>
        <translation>Bits pro Gewicht (logarithmisch)</translation>
    </message>
    <message>
        <location filename="../widgets/model_map_widget.cpp" line="229"/>
        <source>relative error (%)</source>
        <translation>relativer Fehler (%)</translation>
    </message>
    <message>
        <location filename="../widgets/model_map_widget.cpp" line="229"/>
        <source>measured KLD (log scale)</source>
        <translation>gemessene KLD (logarithmisch)</translation>
    </message>
    <message>
        <location filename="../widgets/model_map_widget.cpp" line="250"/>
        <location filename="../widgets/model_map_widget.cpp" line="357"/>
        <source>layer %1</source>
        <translation>Schicht %1</translation>
    </message>
    <message>
        <location filename="../widgets/model_map_widget.cpp" line="327"/>
        <source>Open a model to see where the plan puts its bits</source>
        <translation>Ein Modell öffnen, um zu sehen, wohin der Plan seine Bits legt</translation>
    </message>
    <message>
        <location filename="../widgets/model_map_widget.cpp" line="329"/>
        <source>Measure the sensitivity (Analysis ▸ Measure Sensitivity) to see how much each tensor matters</source>
        <translation>Messen Sie die Empfindlichkeit (Analyse ▸ Empfindlichkeit messen), um zu sehen, wie sehr jeder Tensor zählt</translation>
    </message>
    <message>
        <location filename="../widgets/model_map_widget.cpp" line="330"/>
        <source>Run an analysis to see the model&apos;s error map under the plan</source>
        <translation>Eine Analyse ausführen, um die Fehlerkarte des Modells unter dem Plan zu sehen</translation>
    </message>
    <message>
        <location filename="../widgets/model_map_widget.cpp" line="434"/>
        <source>%1: n/a — not measured</source>
        <translation>%1: k. A. — nicht gemessen</translation>
    </message>
    <message>
        <location filename="../widgets/model_map_widget.cpp" line="436"/>
        <source>%1 (%2), the only tensor quantized:</source>
        <translation>%1 (%2), als einziger Tensor quantisiert:</translation>
    </message>
    <message>
        <location filename="../widgets/model_map_widget.cpp" line="441"/>
        <source>%1: n/a — the format cannot hold this tensor</source>
        <translation>%1: k. A. — das Format kann diesen Tensor nicht aufnehmen</translation>
    </message>
    <message>
        <location filename="../widgets/model_map_widget.cpp" line="444"/>
        <source>%1: KLD %2, top-1 agreement %3, ΔNLL %4</source>
        <translation>%1: KLD %2, Top-1-Übereinstimmung %3, ΔNLL %4</translation>
    </message>
    <message>
        <location filename="../widgets/model_map_widget.cpp" line="455"/>
        <source>%1: n/a — no such tensor in the plan</source>
        <translation>%1: k. A. — kein solcher Tensor im Plan</translation>
    </message>
    <message>
        <location filename="../widgets/model_map_widget.cpp" line="456"/>
        <source>%1 as %2: %3 bits per weight (%4)</source>
        <translation>%1 als %2: %3 Bits pro Gewicht (%4)</translation>
    </message>
    <message>
        <location filename="../widgets/model_map_widget.cpp" line="463"/>
        <source>%1: n/a — the source is already quantized, so there are no original weights to compare with</source>
        <translation>%1: k. A. — die Quelle ist bereits quantisiert, es gibt keine Originalgewichte zum Vergleich</translation>
    </message>
    <message>
        <location filename="../widgets/model_map_widget.cpp" line="465"/>
        <source>%1: n/a — not measured in the planned format</source>
        <translation>%1: k. A. — im geplanten Format nicht gemessen</translation>
    </message>
    <message>
        <location filename="../widgets/model_map_widget.cpp" line="467"/>
        <source>%1: %2 relative error</source>
        <translation>%1: %2 relativer Fehler</translation>
    </message>
    <message>
        <location filename="../widgets/model_map_widget.cpp" line="468"/>
        <source>%1 as %2: %3 relative error</source>
        <translation>%1 als %2: %3 relativer Fehler</translation>
    </message>
    <message>
        <location filename="../widgets/model_map_widget.cpp" line="476"/>
        <source>layer %1 %2</source>
        <translation>Schicht %1 %2</translation>
    </message>
</context>
<context>
    <name>qs::NextTokenView</name>
    <message numerus="yes">
        <location filename="../widgets/next_token_view.cpp" line="192"/>
        <source>The prompt is %n token(s).</source>
        <translation>
            <numerusform>Der Prompt ist %n Token lang.</numerusform>
            <numerusform>Der Prompt ist %n Tokens lang.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../widgets/next_token_view.cpp" line="204"/>
        <source>&amp;Prompt:</source>
        <translation>&amp;Prompt:</translation>
    </message>
    <message>
        <location filename="../widgets/next_token_view.cpp" line="205"/>
        <source>Text the model continues; Enter predicts</source>
        <translation>Text, den das Modell fortsetzt; Eingabe sagt voraus</translation>
    </message>
    <message>
        <location filename="../widgets/next_token_view.cpp" line="206"/>
        <source>Predict</source>
        <translation>Vorhersagen</translation>
    </message>
    <message>
        <location filename="../widgets/next_token_view.cpp" line="207"/>
        <source>The five most likely next tokens under the original model and under the plan</source>
        <translation>Die fünf wahrscheinlichsten nächsten Tokens unter dem Originalmodell und unter dem Plan</translation>
    </message>
    <message>
        <location filename="../widgets/next_token_view.cpp" line="208"/>
        <source>&lt;b&gt;Original&lt;/b&gt;</source>
        <translation>&lt;b&gt;Original&lt;/b&gt;</translation>
    </message>
    <message>
        <location filename="../widgets/next_token_view.cpp" line="209"/>
        <source>&lt;b&gt;Plan: %1&lt;/b&gt;</source>
        <translation>&lt;b&gt;Plan: %1&lt;/b&gt;</translation>
    </message>
</context>
<context>
    <name>qs::NumberText</name>
    <message>
        <location filename="../widgets/number_text.cpp" line="72"/>
        <source>n/a</source>
        <translation>k. A.</translation>
    </message>
</context>
<context>
    <name>qs::ParetoView</name>
    <message>
        <location filename="../widgets/pareto_view.cpp" line="266"/>
        <source>%1 (%2 bytes) · %3 bpw · predicted KLD %4</source>
        <translation>%1 (%2 Bytes) · %3 bpw · vorhergesagte KLD %4</translation>
    </message>
    <message>
        <location filename="../widgets/pareto_view.cpp" line="329"/>
        <source>Fitted plans</source>
        <translation>Angepasste Pläne</translation>
    </message>
    <message>
        <location filename="../widgets/pareto_view.cpp" line="360"/>
        <source>Fitted plan: %1
Click to make this size the budget</source>
        <translation>Angepasster Plan: %1
Klicken, um diese Größe zum Budget zu machen</translation>
    </message>
    <message>
        <location filename="../widgets/pareto_view.cpp" line="375"/>
        <source>llama.cpp presets</source>
        <translation>llama.cpp-Presets</translation>
    </message>
    <message>
        <location filename="../widgets/pareto_view.cpp" line="391"/>
        <source>%1 (llama.cpp preset): %2</source>
        <translation>%1 (llama.cpp-Preset): %2</translation>
    </message>
    <message>
        <location filename="../widgets/pareto_view.cpp" line="400"/>
        <source>Budget&apos;s plan</source>
        <translation>Plan des Budgets</translation>
    </message>
    <message>
        <location filename="../widgets/pareto_view.cpp" line="409"/>
        <source>The budget&apos;s plan (Apply makes it the plan): %1</source>
        <translation>Der Plan des Budgets („Anwenden“ macht ihn zum Plan): %1</translation>
    </message>
    <message>
        <location filename="../widgets/pareto_view.cpp" line="414"/>
        <source>Current plan</source>
        <translation>Aktueller Plan</translation>
    </message>
    <message>
        <location filename="../widgets/pareto_view.cpp" line="422"/>
        <source>The current plan: %1</source>
        <translation>Der aktuelle Plan: %1</translation>
    </message>
    <message>
        <location filename="../widgets/pareto_view.cpp" line="454"/>
        <source>tensor bytes (MiB)</source>
        <translation>Tensor-Bytes (MiB)</translation>
    </message>
    <message>
        <location filename="../widgets/pareto_view.cpp" line="432"/>
        <source>KLD (log)</source>
        <translation>KLD (log.)</translation>
    </message>
    <message>
        <location filename="../widgets/pareto_view.cpp" line="269"/>
        <source>about %1 on %2</source>
        <translation>etwa %1 auf %2</translation>
    </message>
    <message>
        <location filename="../widgets/pareto_view.cpp" line="454"/>
        <source>estimated memory on %1 (MiB)</source>
        <translation>geschätzter Speicher auf %1 (MiB)</translation>
    </message>
    <message>
        <location filename="../widgets/pareto_view.cpp" line="509"/>
        <source>Measure the sensitivity to see what each size buys.</source>
        <translation>Die Empfindlichkeit messen, um zu sehen, was jede Größe bringt.</translation>
    </message>
    <message>
        <location filename="../widgets/pareto_view.cpp" line="511"/>
        <source>Solving the curve…</source>
        <translation>Die Kurve wird berechnet…</translation>
    </message>
    <message>
        <location filename="../widgets/pareto_view.cpp" line="513"/>
        <source>No curve: %1</source>
        <translation>Keine Kurve: %1</translation>
    </message>
    <message>
        <location filename="../widgets/pareto_view.cpp" line="527"/>
        <source>%1 chooses %2</source>
        <translation>%1 wählt %2</translation>
    </message>
    <message>
        <location filename="../widgets/pareto_view.cpp" line="533"/>
        <source>Not drawn: %1 (they choose %2, not measured)</source>
        <translation>Nicht gezeichnet: %1 (sie wählen %2, nicht gemessen)</translation>
    </message>
    <message>
        <location filename="../widgets/pareto_view.cpp" line="540"/>
        <source>The current plan is not drawn: it chooses %1, which the sensitivity did not measure</source>
        <translation>Der aktuelle Plan ist nicht gezeichnet: er wählt %1, was die Empfindlichkeitsmessung nicht gemessen hat</translation>
    </message>
    <message>
        <location filename="../widgets/pareto_view.cpp" line="542"/>
        <source>The current plan is not drawn: it quantizes no measured tensor (predicted KLD 0)</source>
        <translation>Der aktuelle Plan ist nicht gezeichnet: er quantisiert keinen gemessenen Tensor (vorhergesagte KLD 0)</translation>
    </message>
    <message>
        <location filename="../widgets/pareto_view.cpp" line="552"/>
        <source>Tensor bytes against the predicted KLD (the sum of the measured per-tensor KL-divergences): the fitted plans from the smallest size to the largest, llama.cpp&apos;s presets, the current plan and the budget&apos;s plan. Click the curve to make a size the budget.</source>
        <translation>Tensor-Bytes gegen die vorhergesagte KLD (die Summe der je Tensor gemessenen KL-Divergenzen): die angepassten Pläne von der kleinsten bis zur größten Größe, die Presets von llama.cpp, der aktuelle Plan und der Plan des Budgets. Auf die Kurve klicken, um eine Größe zum Budget zu machen.</translation>
    </message>
    <message>
        <location filename="../widgets/pareto_view.cpp" line="555"/>
        <source>Size against predicted KLD</source>
        <translation>Größe gegen vorhergesagte KLD</translation>
    </message>
</context>
<context>
    <name>qs::PlanDocument</name>
    <message>
        <location filename="../widgets/plan_document.cpp" line="99"/>
        <source>%1 is not a plan Quantscope can use: %2</source>
        <translation>%1 ist kein Plan, den Quantscope verwenden kann: %2</translation>
    </message>
    <message>
        <location filename="../widgets/plan_document.cpp" line="103"/>
        <source>%1 does not fit this model: %2</source>
        <translation>%1 passt nicht zu diesem Modell: %2</translation>
    </message>
    <message>
        <location filename="../widgets/plan_document.cpp" line="105"/>
        <source>load plan %1</source>
        <translation>Plan %1 laden</translation>
    </message>
    <message>
        <location filename="../widgets/plan_document.cpp" line="114"/>
        <source>&apos;%1&apos; is not a llama-quantize preset</source>
        <translation>„%1“ ist keine Voreinstellung von llama-quantize</translation>
    </message>
    <message>
        <location filename="../widgets/plan_document.cpp" line="120"/>
        <source>preset %1</source>
        <translation>Vorgabe %1</translation>
    </message>
    <message>
        <location filename="../widgets/plan_document.cpp" line="120"/>
        <source>no preset</source>
        <translation>keine Voreinstellung</translation>
    </message>
    <message>
        <location filename="../widgets/plan_document.cpp" line="77"/>
        <source>A rule is REGEX=FORMAT with a format such as Q6_K, Q8_0, IQ4_XS, gptq:4:128 or GPTQ 4-bit g128; &apos;%1=%2&apos; is not.</source>
        <translation>Eine Regel ist REGEX=FORMAT mit einem Format wie Q6_K, Q8_0, IQ4_XS, gptq:4:128 oder GPTQ 4-bit g128; „%1=%2“ ist keine.</translation>
    </message>
    <message>
        <location filename="../widgets/plan_document.cpp" line="135"/>
        <source>%1 is not a format Quantscope can write (a GGUF type such as Q6_K, or a group format such as GPTQ 4-bit g128)</source>
        <translation>%1 ist kein Format, das Quantscope schreiben kann (ein GGUF-Typ wie Q6_K oder ein Gruppenformat wie GPTQ 4-bit g128)</translation>
    </message>
    <message>
        <location filename="../widgets/plan_document.cpp" line="153"/>
        <source>%1 as %2</source>
        <translation>%1 als %2</translation>
    </message>
    <message>
        <location filename="../widgets/plan_document.cpp" line="162"/>
        <source>%1 is not a valid integer group format</source>
        <translation>%1 ist kein gültiges ganzzahliges Gruppenformat</translation>
    </message>
    <message>
        <location filename="../widgets/plan_document.cpp" line="168"/>
        <source>%1 for the block Linear layers</source>
        <translation>%1 für die Linear-Schichten der Blöcke</translation>
    </message>
    <message>
        <location filename="../widgets/plan_document.cpp" line="168"/>
        <source>no plan-wide group format</source>
        <translation>kein planweites Gruppenformat</translation>
    </message>
    <message>
        <location filename="../widgets/plan_document.cpp" line="180"/>
        <source>GPTQ settings</source>
        <translation>GPTQ-Einstellungen</translation>
    </message>
    <message>
        <location filename="../widgets/plan_document.cpp" line="191"/>
        <source>rule %1 → %2</source>
        <translation>Regel %1 → %2</translation>
    </message>
    <message>
        <location filename="../widgets/plan_document.cpp" line="198"/>
        <location filename="../widgets/plan_document.cpp" line="208"/>
        <source>There is no rule %1</source>
        <translation>Es gibt keine Regel %1</translation>
    </message>
    <message>
        <location filename="../widgets/plan_document.cpp" line="201"/>
        <source>remove rule %1</source>
        <translation>Regel %1 entfernen</translation>
    </message>
    <message>
        <location filename="../widgets/plan_document.cpp" line="216"/>
        <source>rule %1: %2 → %3</source>
        <translation>Regel %1: %2 → %3</translation>
    </message>
    <message>
        <location filename="../widgets/plan_document.cpp" line="224"/>
        <source>There is no rule to move there</source>
        <translation>Dorthin lässt sich keine Regel verschieben</translation>
    </message>
    <message>
        <location filename="../widgets/plan_document.cpp" line="231"/>
        <source>move rule %1 to %2</source>
        <translation>Regel %1 an Stelle %2 verschieben</translation>
    </message>
</context>
<context>
    <name>qs::PlanPanel</name>
    <message>
        <location filename="../widgets/plan_panel.cpp" line="67"/>
        <source>Add a rule</source>
        <translation>Regel hinzufügen</translation>
    </message>
    <message>
        <location filename="../widgets/plan_panel.cpp" line="67"/>
        <source>REGEX=FORMAT (for example ffn_down=Q6_K or ffn_down=gptq:8:128):</source>
        <translation>REGEX=FORMAT (zum Beispiel ffn_down=Q6_K oder ffn_down=gptq:8:128):</translation>
    </message>
    <message>
        <location filename="../widgets/plan_panel.cpp" line="73"/>
        <source>A rule is REGEX=FORMAT with a format such as Q6_K, Q8_0, IQ4_XS, gptq:4:128 or GPTQ 4-bit g128; &apos;%1&apos; is not.</source>
        <translation>Eine Regel ist REGEX=FORMAT mit einem Format wie Q6_K, Q8_0, IQ4_XS, gptq:4:128 oder GPTQ 4-bit g128; „%1“ ist keine.</translation>
    </message>
    <message>
        <location filename="../widgets/plan_panel.cpp" line="231"/>
        <source>Rule %1 &apos;%2&apos; does nothing: the %3 preset converts every tensor and takes no rules.</source>
        <translation>Regel %1 „%2“ bewirkt nichts: die Voreinstellung %3 wandelt jeden Tensor um und nimmt keine Regeln an.</translation>
    </message>
    <message>
        <location filename="../widgets/plan_panel.cpp" line="234"/>
        <source>Rule %1 &apos;%2&apos; matches no tensor that can be quantized.</source>
        <translation>Regel %1 „%2“ trifft keinen quantisierbaren Tensor.</translation>
    </message>
    <message numerus="yes">
        <location filename="../widgets/plan_panel.cpp" line="236"/>
        <source>Rule %1 &apos;%2&apos; decides none of the %n tensor(s) it matches: earlier rules, overrides or the GPTQ/AWQ choice take them all.</source>
        <translation>
            <numerusform>Regel %1 „%2“ entscheidet keinen der %n Tensoren, die sie trifft: frühere Regeln, Vorgaben oder die GPTQ/AWQ-Wahl nehmen sie alle.</numerusform>
            <numerusform>Regel %1 „%2“ entscheidet keinen der %n Tensoren, die sie trifft: frühere Regeln, Vorgaben oder die GPTQ/AWQ-Wahl nehmen sie alle.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../widgets/plan_panel.cpp" line="237"/>
        <source>Rule %1 &apos;%2&apos; decides none of the %n tensor(s) it matches: earlier rules or overrides take them all.</source>
        <translation>
            <numerusform>Regel %1 „%2“ entscheidet keinen der %n Tensoren, die sie trifft: frühere Regeln oder Vorgaben nehmen sie alle.</numerusform>
            <numerusform>Regel %1 „%2“ entscheidet keinen der %n Tensoren, die sie trifft: frühere Regeln oder Vorgaben nehmen sie alle.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../widgets/plan_panel.cpp" line="241"/>
        <source>The override for &apos;%1&apos; names no tensor of this model.</source>
        <translation>Die Vorgabe für „%1“ nennt keinen Tensor dieses Modells.</translation>
    </message>
    <message>
        <location filename="../widgets/plan_panel.cpp" line="243"/>
        <source>The override for &apos;%1&apos; does nothing: this tensor is never quantized.</source>
        <translation>Die Vorgabe für „%1“ bewirkt nichts: dieser Tensor wird nie quantisiert.</translation>
    </message>
    <message numerus="yes">
        <location filename="../widgets/plan_panel.cpp" line="245"/>
        <source>Rule %1 &apos;%2&apos; names %3, which none of the %n tensor(s) it decides can take (only Linear weights of the blocks whose shape fits): they stay in 16 bits.</source>
        <translation>
            <numerusform>Regel %1 „%2“ nennt %3, das der %n Tensor, den sie entscheidet, nicht aufnehmen kann (nur Linear-Gewichte der Blöcke mit passender Form): er bleibt in 16 Bit.</numerusform>
            <numerusform>Regel %1 „%2“ nennt %3, das keiner der %n Tensoren, die sie entscheidet, aufnehmen kann (nur Linear-Gewichte der Blöcke mit passender Form): sie bleiben in 16 Bit.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../widgets/plan_panel.cpp" line="250"/>
        <source>The plan mixes GGUF formats (%n tensor(s), such as %1 in %2) with GPTQ/AWQ/RTN formats (%3), which no one file holds: a GGUF export refuses it, and a GPTQ/AWQ checkpoint keeps the GGUF-planned tensors in 16 bits.</source>
        <translation>
            <numerusform>Der Plan mischt GGUF-Formate (%n Tensor, etwa %1 in %2) mit GPTQ/AWQ/RTN-Formaten (%3); keine einzelne Datei fasst beides: ein GGUF-Export lehnt ihn ab, und ein GPTQ/AWQ-Checkpoint behält die für GGUF geplanten Tensoren in 16 Bit.</numerusform>
            <numerusform>Der Plan mischt GGUF-Formate (%n Tensoren, etwa %1 in %2) mit GPTQ/AWQ/RTN-Formaten (%3); keine einzelne Datei fasst beides: ein GGUF-Export lehnt ihn ab, und ein GPTQ/AWQ-Checkpoint behält die für GGUF geplanten Tensoren in 16 Bit.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../widgets/plan_panel.cpp" line="252"/>
        <source>%n tensor(s)</source>
        <translation>
            <numerusform>%n Tensor</numerusform>
            <numerusform>%n Tensoren</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../widgets/plan_panel.cpp" line="267"/>
        <source>Preset:</source>
        <translation>Vorgabe:</translation>
    </message>
    <message>
        <location filename="../widgets/plan_panel.cpp" line="268"/>
        <location filename="../widgets/plan_panel.cpp" line="288"/>
        <source>None</source>
        <translation>Keine</translation>
    </message>
    <message>
        <location filename="../widgets/plan_panel.cpp" line="269"/>
        <source>Preset</source>
        <translation>Vorgabe</translation>
    </message>
    <message>
        <location filename="../widgets/plan_panel.cpp" line="270"/>
        <source>llama-quantize preset: chooses each tensor&apos;s format exactly as llama-quantize would</source>
        <translation>llama-quantize-Vorgabe: wählt das Format jedes Tensors genau wie llama-quantize</translation>
    </message>
    <message>
        <location filename="../widgets/plan_panel.cpp" line="271"/>
        <source>Rules</source>
        <translation>Regeln</translation>
    </message>
    <message>
        <location filename="../widgets/plan_panel.cpp" line="272"/>
        <source>Rules, first match wins: a regular expression on the GGUF tensor name and the format it gives. Double-click a pattern or a format to change it.</source>
        <translation>Regeln, der erste Treffer gilt: ein regulärer Ausdruck auf dem GGUF-Tensornamen und das Format, das er vergibt. Muster oder Format doppelklicken, um es zu ändern.</translation>
    </message>
    <message>
        <location filename="../widgets/plan_panel.cpp" line="275"/>
        <source>Evaluate</source>
        <translation>Bewerten</translation>
    </message>
    <message>
        <location filename="../widgets/plan_panel.cpp" line="276"/>
        <source>Perplexity and KL-divergence of the model under this plan, against the unquantized model</source>
        <translation>Perplexität und KL-Divergenz des Modells unter diesem Plan, verglichen mit dem unquantisierten Modell</translation>
    </message>
    <message>
        <location filename="../widgets/plan_panel.cpp" line="277"/>
        <source>Move &amp;Up</source>
        <translation>Nach &amp;oben</translation>
    </message>
    <message>
        <location filename="../widgets/plan_panel.cpp" line="278"/>
        <source>Move the selected rule up: earlier rules win (Alt+U)</source>
        <translation>Die gewählte Regel nach oben schieben: frühere Regeln gewinnen (Alt+O)</translation>
    </message>
    <message>
        <location filename="../widgets/plan_panel.cpp" line="279"/>
        <source>Move &amp;Down</source>
        <translation>Nach &amp;unten</translation>
    </message>
    <message>
        <location filename="../widgets/plan_panel.cpp" line="280"/>
        <source>Move the selected rule down (Alt+D)</source>
        <translation>Die gewählte Regel nach unten schieben (Alt+U)</translation>
    </message>
    <message>
        <location filename="../widgets/plan_panel.cpp" line="281"/>
        <source>Add &amp;Rule…</source>
        <translation>&amp;Regel hinzufügen…</translation>
    </message>
    <message>
        <location filename="../widgets/plan_panel.cpp" line="282"/>
        <source>Add a rule such as  ffn_down=Q6_K</source>
        <translation>Eine Regel wie  ffn_down=Q6_K  hinzufügen</translation>
    </message>
    <message>
        <location filename="../widgets/plan_panel.cpp" line="283"/>
        <source>Remove</source>
        <translation>Entfernen</translation>
    </message>
    <message>
        <location filename="../widgets/plan_panel.cpp" line="284"/>
        <source>Remove the selected rule</source>
        <translation>Die gewählte Regel entfernen</translation>
    </message>
    <message>
        <location filename="../widgets/plan_panel.cpp" line="285"/>
        <source>Group quantization:</source>
        <translation>Gruppenquantisierung:</translation>
    </message>
    <message>
        <location filename="../widgets/plan_panel.cpp" line="286"/>
        <source>GPTQ, AWQ or round-to-nearest integers for every Linear layer of the blocks that no rule or override decides; a plan with them is written as a Hugging Face checkpoint</source>
        <translation>GPTQ-, AWQ- oder auf den nächsten Wert gerundete ganze Zahlen für jede Linear-Schicht der Blöcke, die keine Regel und keine Vorgabe entscheidet; ein Plan damit wird als Hugging-Face-Checkpoint geschrieben</translation>
    </message>
    <message>
        <location filename="../widgets/plan_panel.cpp" line="290"/>
        <source>Group quantization method</source>
        <translation>Verfahren der Gruppenquantisierung</translation>
    </message>
    <message>
        <location filename="../widgets/plan_panel.cpp" line="291"/>
        <source>Group quantization bits</source>
        <translation>Bits der Gruppenquantisierung</translation>
    </message>
    <message>
        <location filename="../widgets/plan_panel.cpp" line="292"/>
        <source>Group size</source>
        <translation>Gruppengröße</translation>
    </message>
    <message>
        <location filename="../widgets/plan_panel.cpp" line="293"/>
        <source>Symmetric</source>
        <translation>Symmetrisch</translation>
    </message>
    <message>
        <location filename="../widgets/plan_panel.cpp" line="294"/>
        <source>A symmetric grid around zero, with no zero point (GPTQModel&apos;s default; AutoAWQ&apos;s is asymmetric)</source>
        <translation>Ein symmetrisches Raster um null, ohne Nullpunkt (Standard von GPTQModel; AutoAWQ rechnet asymmetrisch)</translation>
    </message>
    <message>
        <location filename="../widgets/plan_panel.cpp" line="295"/>
        <source>Act-order</source>
        <translation>Act-Order</translation>
    </message>
    <message>
        <location filename="../widgets/plan_panel.cpp" line="296"/>
        <source>GPTQ: quantize the columns in order of decreasing activation (desc_act); usually a little more accurate, and the checkpoint keeps a g_idx per column</source>
        <translation>GPTQ: die Spalten in absteigender Aktivierung quantisieren (desc_act); meist etwas genauer, und der Checkpoint speichert je Spalte einen g_idx</translation>
    </message>
    <message>
        <location filename="../widgets/plan_panel.cpp" line="298"/>
        <source>Plan totals</source>
        <translation>Plansummen</translation>
    </message>
    <message>
        <location filename="../widgets/plan_panel.cpp" line="299"/>
        <source>Plan warnings</source>
        <translation>Warnungen zum Plan</translation>
    </message>
</context>
<context>
    <name>qs::PlanTotals</name>
    <message>
        <location filename="../widgets/plan_totals.cpp" line="72"/>
        <source>Plan %1: %2, %3 bits per quantized weight</source>
        <translation>Plan %1: %2, %3 Bit je quantisiertem Gewicht</translation>
    </message>
    <message>
        <location filename="../widgets/plan_totals.cpp" line="75"/>
        <source>, error %1 over the %2 of %3 quantized tensors measured</source>
        <translation>, Fehler %1 über die %2 von %3 gemessenen quantisierten Tensoren</translation>
    </message>
    <message>
        <location filename="../widgets/plan_totals.cpp" line="78"/>
        <source>, error n/a: the source is already quantized, so there are no original weights to compare with</source>
        <translation>, Fehler k. A.: die Quelle ist bereits quantisiert, es gibt keine Originalgewichte zum Vergleich</translation>
    </message>
    <message>
        <location filename="../widgets/plan_totals.cpp" line="80"/>
        <source> (analyse with the planned formats to see the error)</source>
        <translation> (mit den geplanten Formaten analysieren, um den Fehler zu sehen)</translation>
    </message>
</context>
<context>
    <name>qs::QuantizeDialog</name>
    <message>
        <location filename="../widgets/quantize_dialog.cpp" line="48"/>
        <source>Quantize — %1</source>
        <translation>Quantisieren — %1</translation>
    </message>
    <message>
        <location filename="../widgets/quantize_dialog.cpp" line="51"/>
        <source>Calibration</source>
        <translation>Kalibrierung</translation>
    </message>
    <message>
        <location filename="../widgets/quantize_dialog.cpp" line="55"/>
        <source>Built-in sample text</source>
        <translation>Eingebauter Beispieltext</translation>
    </message>
    <message>
        <location filename="../widgets/quantize_dialog.cpp" line="55"/>
        <source>A text file</source>
        <translation>Eine Textdatei</translation>
    </message>
    <message>
        <location filename="../widgets/quantize_dialog.cpp" line="55"/>
        <source>A windows file (.json) and its text</source>
        <translation>Eine Fensterdatei (.json) und ihr Text</translation>
    </message>
    <message>
        <location filename="../widgets/quantize_dialog.cpp" line="56"/>
        <source>Random windows of a UTF-8 text, or the exact windows a .json file lists (offsets into the ids of its text)</source>
        <translation>Zufällige Fenster eines UTF-8-Textes oder genau die Fenster, die eine .json-Datei auflistet (Offsets in die IDs ihres Textes)</translation>
    </message>
    <message>
        <location filename="../widgets/quantize_dialog.cpp" line="57"/>
        <source>Text:</source>
        <translation>Text:</translation>
    </message>
    <message>
        <location filename="../widgets/quantize_dialog.cpp" line="60"/>
        <location filename="../widgets/quantize_dialog.cpp" line="72"/>
        <location filename="../widgets/quantize_dialog.cpp" line="150"/>
        <source>Browse…</source>
        <translation>Durchsuchen…</translation>
    </message>
    <message>
        <location filename="../widgets/quantize_dialog.cpp" line="63"/>
        <source>Calibration windows</source>
        <translation>Kalibrierungsfenster</translation>
    </message>
    <message>
        <location filename="../widgets/quantize_dialog.cpp" line="63"/>
        <source>Calibration text</source>
        <translation>Kalibrierungstext</translation>
    </message>
    <message>
        <location filename="../widgets/quantize_dialog.cpp" line="64"/>
        <source>Windows files (*.json)</source>
        <translation>Fensterdateien (*.json)</translation>
    </message>
    <message>
        <location filename="../widgets/quantize_dialog.cpp" line="64"/>
        <location filename="../widgets/quantize_dialog.cpp" line="74"/>
        <source>UTF-8 text (*.txt);;All files (*)</source>
        <translation>UTF-8-Text (*.txt);;Alle Dateien (*)</translation>
    </message>
    <message>
        <location filename="../widgets/quantize_dialog.cpp" line="68"/>
        <source>File:</source>
        <translation>Datei:</translation>
    </message>
    <message>
        <location filename="../widgets/quantize_dialog.cpp" line="71"/>
        <source>The text whose token ids the windows file&apos;s offsets index</source>
        <translation>Der Text, in dessen Token-IDs die Offsets der Fensterdatei zeigen</translation>
    </message>
    <message>
        <location filename="../widgets/quantize_dialog.cpp" line="74"/>
        <source>The text the windows index</source>
        <translation>Der Text, den die Fenster indizieren</translation>
    </message>
    <message>
        <location filename="../widgets/quantize_dialog.cpp" line="78"/>
        <source>Its text:</source>
        <translation>Ihr Text:</translation>
    </message>
    <message>
        <location filename="../widgets/quantize_dialog.cpp" line="84"/>
        <source>How many windows the solver sees (GPTQModel and AutoAWQ use 128)</source>
        <translation>Wie viele Fenster der Löser sieht (GPTQModel und AutoAWQ nehmen 128)</translation>
    </message>
    <message>
        <location filename="../widgets/quantize_dialog.cpp" line="93"/>
        <source>Where the random windows start; the same seed picks the same windows</source>
        <translation>Wo die zufälligen Fenster beginnen; derselbe Seed wählt dieselben Fenster</translation>
    </message>
    <message>
        <location filename="../widgets/quantize_dialog.cpp" line="94"/>
        <source>Windows:</source>
        <translation>Fenster:</translation>
    </message>
    <message>
        <location filename="../widgets/quantize_dialog.cpp" line="95"/>
        <source>Tokens per window:</source>
        <translation>Tokens pro Fenster:</translation>
    </message>
    <message>
        <location filename="../widgets/quantize_dialog.cpp" line="96"/>
        <source>Seed:</source>
        <translation>Seed:</translation>
    </message>
    <message>
        <location filename="../widgets/quantize_dialog.cpp" line="99"/>
        <source>GPTQ</source>
        <translation>GPTQ</translation>
    </message>
    <message>
        <location filename="../widgets/quantize_dialog.cpp" line="102"/>
        <source>Act-order (columns by decreasing Hessian diagonal)</source>
        <translation>Act-order (Spalten nach absteigender Hesse-Diagonale)</translation>
    </message>
    <message>
        <location filename="../widgets/quantize_dialog.cpp" line="104"/>
        <source>Static groups (group scales fixed before the sweep)</source>
        <translation>Statische Gruppen (Gruppenskalen vor dem Durchlauf festgelegt)</translation>
    </message>
    <message>
        <location filename="../widgets/quantize_dialog.cpp" line="111"/>
        <source>Added to the Hessian&apos;s diagonal, as a fraction of its mean; raised when the factorisation fails</source>
        <translation>Zur Diagonale der Hesse-Matrix addiert, als Anteil ihres Mittels; erhöht, wenn die Zerlegung scheitert</translation>
    </message>
    <message>
        <location filename="../widgets/quantize_dialog.cpp" line="120"/>
        <source>Damping:</source>
        <translation>Dämpfung:</translation>
    </message>
    <message>
        <location filename="../widgets/quantize_dialog.cpp" line="125"/>
        <source>AWQ</source>
        <translation>AWQ</translation>
    </message>
    <message>
        <location filename="../widgets/quantize_dialog.cpp" line="128"/>
        <source>Include s = 1 (Quantscope&apos;s variant)</source>
        <translation>s = 1 einbeziehen (Quantscopes Variante)</translation>
    </message>
    <message>
        <location filename="../widgets/quantize_dialog.cpp" line="130"/>
        <source>The scale search also tries no scaling, so no group ends worse than round-to-nearest; AutoAWQ&apos;s own grid does not</source>
        <translation>Die Skalensuche probiert auch keine Skalierung, sodass keine Gruppe schlechter als Runden auf den nächsten Wert endet; AutoAWQs eigenes Raster tut das nicht</translation>
    </message>
    <message>
        <location filename="../widgets/quantize_dialog.cpp" line="136"/>
        <source>Checkpoint</source>
        <translation>Checkpoint</translation>
    </message>
    <message>
        <location filename="../widgets/quantize_dialog.cpp" line="140"/>
        <source>GPTQ (GPTQModel)</source>
        <translation>GPTQ (GPTQModel)</translation>
    </message>
    <message>
        <location filename="../widgets/quantize_dialog.cpp" line="141"/>
        <source>AWQ GEMM (AutoAWQ)</source>
        <translation>AWQ GEMM (AutoAWQ)</translation>
    </message>
    <message>
        <location filename="../widgets/quantize_dialog.cpp" line="142"/>
        <source>compressed-tensors (llm-compressor)</source>
        <translation>compressed-tensors (llm-compressor)</translation>
    </message>
    <message>
        <location filename="../widgets/quantize_dialog.cpp" line="144"/>
        <source>The layout transformers and vLLM load; by default the one the plan&apos;s method is usually shipped in</source>
        <translation>Das Layout, das transformers und vLLM laden; standardmäßig jenes, in dem die Methode des Plans üblicherweise ausgeliefert wird</translation>
    </message>
    <message>
        <location filename="../widgets/quantize_dialog.cpp" line="145"/>
        <source>Layout:</source>
        <translation>Layout:</translation>
    </message>
    <message>
        <location filename="../widgets/quantize_dialog.cpp" line="148"/>
        <source>A new or empty folder (or an earlier checkpoint, which is replaced); written only when everything succeeded and read back</source>
        <translation>Ein neuer oder leerer Ordner (oder ein früherer Checkpoint, der ersetzt wird); erst geschrieben, wenn alles gelungen ist und zurückgelesen wurde</translation>
    </message>
    <message>
        <location filename="../widgets/quantize_dialog.cpp" line="152"/>
        <source>Write the checkpoint into</source>
        <translation>Checkpoint schreiben nach</translation>
    </message>
    <message>
        <location filename="../widgets/quantize_dialog.cpp" line="156"/>
        <source>Folder:</source>
        <translation>Ordner:</translation>
    </message>
    <message>
        <location filename="../widgets/quantize_dialog.cpp" line="167"/>
        <source>Quantize</source>
        <translation>Quantisieren</translation>
    </message>
    <message>
        <location filename="../widgets/quantize_dialog.cpp" line="206"/>
        <source>Choose the calibration file.</source>
        <translation>Wählen Sie die Kalibrierungsdatei.</translation>
    </message>
    <message>
        <location filename="../widgets/quantize_dialog.cpp" line="208"/>
        <source>Choose the text the windows file indexes.</source>
        <translation>Wählen Sie den Text, den die Fensterdatei indiziert.</translation>
    </message>
    <message>
        <location filename="../widgets/quantize_dialog.cpp" line="210"/>
        <source>Choose the folder to write the checkpoint to.</source>
        <translation>Wählen Sie den Ordner, in den der Checkpoint geschrieben wird.</translation>
    </message>
</context>
<context>
    <name>qs::QuantizeSession</name>
    <message>
        <location filename="../widgets/quantize_session.cpp" line="102"/>
        <source>The plan names no GPTQ, AWQ or RTN formats: choose a group format for the block Linears first (GGUF plans are written with File ▸ Export GGUF).</source>
        <translation>Der Plan nennt keine GPTQ-, AWQ- oder RTN-Formate: Wählen Sie zuerst ein Gruppenformat für die Linear-Schichten der Blöcke (GGUF-Pläne schreibt Datei ▸ GGUF exportieren).</translation>
    </message>
    <message>
        <location filename="../widgets/quantize_session.cpp" line="118"/>
        <source>A quantization is already running.</source>
        <translation>Es läuft bereits eine Quantisierung.</translation>
    </message>
    <message>
        <location filename="../widgets/quantize_session.cpp" line="120"/>
        <source>Open a model first.</source>
        <translation>Öffnen Sie zuerst ein Modell.</translation>
    </message>
    <message>
        <location filename="../widgets/quantize_session.cpp" line="122"/>
        <source>GPTQ/AWQ checkpoints are made from a Hugging Face model folder (16- or 32-bit weights), not a GGUF file.</source>
        <translation>GPTQ/AWQ-Checkpoints entstehen aus einem Hugging-Face-Modellordner (16- oder 32-Bit-Gewichte), nicht aus einer GGUF-Datei.</translation>
    </message>
    <message>
        <location filename="../widgets/quantize_session.cpp" line="127"/>
        <source>Choose the folder to write the checkpoint to.</source>
        <translation>Wählen Sie den Ordner, in den der Checkpoint geschrieben wird.</translation>
    </message>
    <message>
        <location filename="../widgets/quantize_session.cpp" line="130"/>
        <source>%1: the folder it goes in does not exist.</source>
        <translation>%1: Der übergeordnete Ordner existiert nicht.</translation>
    </message>
    <message>
        <location filename="../widgets/quantize_session.cpp" line="132"/>
        <source>%1 exists and is not a folder.</source>
        <translation>%1 existiert und ist kein Ordner.</translation>
    </message>
    <message>
        <location filename="../widgets/quantize_session.cpp" line="134"/>
        <source>%1 is not empty and holds no model (no config.json); choose an empty or new folder.</source>
        <translation>%1 ist nicht leer und enthält kein Modell (keine config.json); wählen Sie einen leeren oder neuen Ordner.</translation>
    </message>
    <message>
        <location filename="../widgets/quantize_session.cpp" line="136"/>
        <source>%1 cannot take the checkpoint: %2</source>
        <translation>%1 kann den Checkpoint nicht aufnehmen: %2</translation>
    </message>
</context>
<context>
    <name>qs::RuleTableModel</name>
    <message numerus="yes">
        <location filename="../widgets/rule_table_model.cpp" line="39"/>
        <source>%n tensor(s)</source>
        <translation>
            <numerusform>%n Tensor</numerusform>
            <numerusform>%n Tensoren</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../widgets/rule_table_model.cpp" line="46"/>
        <source>This rule decides no tensor: nothing matches it, or an earlier rule or a per-tensor choice takes every tensor it matches</source>
        <translation>Diese Regel entscheidet keinen Tensor: nichts passt, oder eine frühere Regel bzw. eine Einzelwahl nimmt jeden passenden Tensor</translation>
    </message>
    <message>
        <location filename="../widgets/rule_table_model.cpp" line="49"/>
        <source>A regular expression searched in the GGUF tensor name; double-click to edit</source>
        <translation>Ein regulärer Ausdruck, der im GGUF-Tensornamen gesucht wird; zum Bearbeiten doppelklicken</translation>
    </message>
    <message>
        <location filename="../widgets/rule_table_model.cpp" line="51"/>
        <source>An integer group format: the Linear weights of the blocks this rule matches are packed in it, other tensors it matches stay in 16 bits; double-click to choose another</source>
        <translation>Ein ganzzahliges Gruppenformat: Die Linear-Gewichte der Blöcke, die diese Regel trifft, werden darin gepackt, andere getroffene Tensoren bleiben in 16 Bit; doppelklicken, um ein anderes zu wählen</translation>
    </message>
    <message>
        <location filename="../widgets/rule_table_model.cpp" line="54"/>
        <source>The format this rule gives; double-click to choose another</source>
        <translation>Das Format, das diese Regel vergibt; doppelklicken, um ein anderes zu wählen</translation>
    </message>
    <message>
        <location filename="../widgets/rule_table_model.cpp" line="69"/>
        <source>Pattern</source>
        <translation>Muster</translation>
    </message>
    <message>
        <location filename="../widgets/rule_table_model.cpp" line="71"/>
        <source>Format</source>
        <translation>Format</translation>
    </message>
    <message>
        <location filename="../widgets/rule_table_model.cpp" line="73"/>
        <source>Decides</source>
        <translation>Entscheidet</translation>
    </message>
</context>
<context>
    <name>qs::SensitivitySession</name>
    <message>
        <location filename="../widgets/sensitivity_session.cpp" line="29"/>
        <source>Open a model first.</source>
        <translation>Öffnen Sie zuerst ein Modell.</translation>
    </message>
    <message>
        <location filename="../widgets/sensitivity_session.cpp" line="31"/>
        <source>A sensitivity measurement is already running.</source>
        <translation>Eine Empfindlichkeitsmessung läuft bereits.</translation>
    </message>
</context>
<context>
    <name>qs::TensorBrowser</name>
    <message>
        <location filename="../widgets/tensor_browser.cpp" line="169"/>
        <source>Filter tensors by name (e.g. ffn_down or blk.3.)</source>
        <translation>Tensoren nach Namen filtern (z. B. ffn_down oder blk.3.)</translation>
    </message>
    <message>
        <location filename="../widgets/tensor_browser.cpp" line="170"/>
        <source>Tensor filter</source>
        <translation>Tensorfilter</translation>
    </message>
    <message>
        <location filename="../widgets/tensor_browser.cpp" line="171"/>
        <source>Show only tensors whose name contains this text</source>
        <translation>Nur Tensoren zeigen, deren Name diesen Text enthält</translation>
    </message>
    <message>
        <location filename="../widgets/tensor_browser.cpp" line="172"/>
        <source>Re&amp;gex</source>
        <translation>Re&amp;gulärer Ausdruck</translation>
    </message>
    <message>
        <location filename="../widgets/tensor_browser.cpp" line="173"/>
        <source>Treat the filter as a regular expression, e.g. blk\.[0-3]\.ffn_down</source>
        <translation>Den Filter als regulären Ausdruck behandeln, z. B. blk\.[0-3]\.ffn_down</translation>
    </message>
    <message>
        <location filename="../widgets/tensor_browser.cpp" line="174"/>
        <source>Group by &amp;layer</source>
        <translation>Nach &amp;Schicht gruppieren</translation>
    </message>
    <message>
        <location filename="../widgets/tensor_browser.cpp" line="175"/>
        <source>Show the tensors as a tree of layers, each with its size, bits per weight, formats and error under the plan</source>
        <translation>Die Tensoren als Baum von Schichten zeigen, jede mit Größe, Bits je Gewicht, Formaten und Fehler unter dem Plan</translation>
    </message>
    <message>
        <location filename="../widgets/tensor_browser.cpp" line="176"/>
        <source>Tensors by layer</source>
        <translation>Tensoren nach Schicht</translation>
    </message>
    <message>
        <location filename="../widgets/tensor_browser.cpp" line="177"/>
        <source>Tensor table</source>
        <translation>Tensortabelle</translation>
    </message>
</context>
<context>
    <name>qs::TensorDetails</name>
    <message>
        <location filename="../widgets/tensor_details.cpp" line="186"/>
        <source>%1 result (an earlier plan)</source>
        <translation>%1-Ergebnis (ein früherer Plan)</translation>
    </message>
    <message>
        <location filename="../widgets/tensor_details.cpp" line="186"/>
        <source>%1 result</source>
        <translation>%1-Ergebnis</translation>
    </message>
    <message>
        <location filename="../widgets/tensor_details.cpp" line="259"/>
        <source>Measured KLD when only this tensor is quantized: %1</source>
        <translation>Gemessene KLD, wenn nur dieser Tensor quantisiert wird: %1</translation>
    </message>
    <message>
        <location filename="../widgets/tensor_details.cpp" line="290"/>
        <source>%1: mean %2, std %3, kurtosis %4</source>
        <translation>%1: Mittel %2, Std.-Abw. %3, Kurtosis %4</translation>
    </message>
    <message>
        <location filename="../widgets/tensor_details.cpp" line="343"/>
        <source>%1 — %2, against the original weights</source>
        <translation>%1 — %2, gegen die Originalgewichte</translation>
    </message>
    <message>
        <location filename="../widgets/tensor_details.cpp" line="360"/>
        <source>%1 under %2, against the weights as stored (%3, already quantized)</source>
        <translation>%1 unter %2, gemessen an den gespeicherten Gewichten (%3, bereits quantisiert)</translation>
    </message>
    <message>
        <location filename="../widgets/tensor_details.cpp" line="363"/>
        <source>%1 under %2</source>
        <translation>%1 unter %2</translation>
    </message>
    <message>
        <location filename="../widgets/tensor_details.cpp" line="384"/>
        <source>Histogram</source>
        <translation>Histogramm</translation>
    </message>
    <message>
        <location filename="../widgets/tensor_details.cpp" line="385"/>
        <source>Error map</source>
        <translation>Fehlerkarte</translation>
    </message>
    <message>
        <location filename="../widgets/tensor_details.cpp" line="386"/>
        <source>Model map</source>
        <translation>Modellkarte</translation>
    </message>
    <message>
        <location filename="../widgets/tensor_details.cpp" line="387"/>
        <source>&amp;Logarithmic counts</source>
        <translation>&amp;Logarithmische Anzahlen</translation>
    </message>
    <message>
        <location filename="../widgets/tensor_details.cpp" line="388"/>
        <source>Show the histogram&apos;s counts on a log scale, to see the tails</source>
        <translation>Die Anzahlen des Histogramms logarithmisch zeigen, um die Ränder zu sehen</translation>
    </message>
    <message>
        <location filename="../widgets/tensor_details.cpp" line="389"/>
        <source>Original</source>
        <translation>Original</translation>
    </message>
    <message>
        <location filename="../widgets/tensor_details.cpp" line="389"/>
        <source>Quantized</source>
        <translation>Quantisiert</translation>
    </message>
    <message>
        <location filename="../widgets/tensor_details.cpp" line="389"/>
        <source>Both</source>
        <translation>Beide</translation>
    </message>
    <message>
        <location filename="../widgets/tensor_details.cpp" line="389"/>
        <source>Error</source>
        <translation>Fehler</translation>
    </message>
    <message>
        <location filename="../widgets/tensor_details.cpp" line="392"/>
        <source>Histogram shows</source>
        <translation>Histogramm zeigt</translation>
    </message>
    <message>
        <location filename="../widgets/tensor_details.cpp" line="393"/>
        <source>Original weights, the weights after the planned format (A/B), both, or the error</source>
        <translation>Originalgewichte, die Gewichte nach dem geplanten Format (A/B), beide oder den Fehler</translation>
    </message>
    <message>
        <location filename="../widgets/tensor_details.cpp" line="394"/>
        <source>Show:</source>
        <translation>Zeigen:</translation>
    </message>
    <message>
        <location filename="../widgets/tensor_details.cpp" line="395"/>
        <source>block </source>
        <translation>Block </translation>
    </message>
    <message>
        <location filename="../widgets/tensor_details.cpp" line="396"/>
        <source>Block whose levels are shown</source>
        <translation>Block, dessen Stufen gezeigt werden</translation>
    </message>
    <message>
        <location filename="../widgets/tensor_details.cpp" line="397"/>
        <source>The block whose reconstruction levels are marked along the axis</source>
        <translation>Der Block, dessen Rekonstruktionsstufen entlang der Achse markiert sind</translation>
    </message>
    <message>
        <location filename="../widgets/tensor_details.cpp" line="398"/>
        <source>Heatmap format</source>
        <translation>Heatmap-Format</translation>
    </message>
    <message>
        <location filename="../widgets/tensor_details.cpp" line="399"/>
        <source>The format whose error the map shows</source>
        <translation>Das Format, dessen Fehler die Karte zeigt</translation>
    </message>
    <message>
        <location filename="../widgets/tensor_details.cpp" line="400"/>
        <source>Mean |error|</source>
        <translation>Mittlerer |Fehler|</translation>
    </message>
    <message>
        <location filename="../widgets/tensor_details.cpp" line="400"/>
        <source>Max |error|</source>
        <translation>Größter |Fehler|</translation>
    </message>
    <message>
        <location filename="../widgets/tensor_details.cpp" line="400"/>
        <source>Quantization step</source>
        <translation>Quantisierungsschritt</translation>
    </message>
    <message>
        <location filename="../widgets/tensor_details.cpp" line="400"/>
        <source>Signed error (bias)</source>
        <translation>Vorzeichenbehafteter Fehler (Bias)</translation>
    </message>
    <message>
        <location filename="../widgets/tensor_details.cpp" line="403"/>
        <source>Heatmap measure</source>
        <translation>Heatmap-Maß</translation>
    </message>
    <message>
        <location filename="../widgets/tensor_details.cpp" line="404"/>
        <source>Magnitudes use viridis; the signed error mean(Q(W) − W) uses a blue–grey–red scale centred on 0</source>
        <translation>Beträge nutzen Viridis; der vorzeichenbehaftete Fehler mean(Q(W) − W) nutzt eine Blau–Grau–Rot-Skala mit 0 in der Mitte</translation>
    </message>
    <message>
        <location filename="../widgets/tensor_details.cpp" line="406"/>
        <source>C&amp;olour by:</source>
        <translation>&amp;Färben nach:</translation>
    </message>
    <message>
        <location filename="../widgets/tensor_details.cpp" line="407"/>
        <source>Weight error</source>
        <translation>Gewichtsfehler</translation>
    </message>
    <message>
        <location filename="../widgets/tensor_details.cpp" line="408"/>
        <source>Measured KLD</source>
        <translation>Gemessene KLD</translation>
    </message>
    <message>
        <location filename="../widgets/tensor_details.cpp" line="409"/>
        <source>Bits per weight</source>
        <translation>Bits pro Gewicht</translation>
    </message>
    <message>
        <location filename="../widgets/tensor_details.cpp" line="410"/>
        <source>Model map colouring</source>
        <translation>Färbung der Modellkarte</translation>
    </message>
    <message>
        <location filename="../widgets/tensor_details.cpp" line="411"/>
        <source>Weight error: ‖Q(W) − W‖ / ‖W‖ in the planned format. Measured KLD: how far the predictions move when only that tensor is quantized. Bits per weight: where the plan puts its bits</source>
        <translation>Gewichtsfehler: ‖Q(W) − W‖ / ‖W‖ im geplanten Format. Gemessene KLD: wie weit sich die Vorhersagen verschieben, wenn nur dieser Tensor quantisiert wird. Bits pro Gewicht: wohin der Plan seine Bits legt</translation>
    </message>
    <message>
        <location filename="../widgets/tensor_details.cpp" line="413"/>
        <source>Measured format</source>
        <translation>Gemessenes Format</translation>
    </message>
    <message>
        <location filename="../widgets/tensor_details.cpp" line="414"/>
        <source>The format whose measured KL-divergence the map shows</source>
        <translation>Das Format, dessen gemessene KL-Divergenz die Karte zeigt</translation>
    </message>
    <message>
        <location filename="../widgets/tensor_details.cpp" line="415"/>
        <source>Measure Sensitivity</source>
        <translation>Empfindlichkeit messen</translation>
    </message>
    <message>
        <location filename="../widgets/tensor_details.cpp" line="416"/>
        <source>For every weight and format, the KL-divergence when only that weight is quantized, on the built-in text; saved with the project</source>
        <translation>Für jedes Gewicht und Format die KL-Divergenz, wenn nur dieses Gewicht quantisiert wird, auf dem eingebauten Text; wird mit dem Projekt gespeichert</translation>
    </message>
    <message>
        <location filename="../widgets/tensor_details.cpp" line="418"/>
        <source>Mean KL-divergence from the unquantized model on the measured windows</source>
        <translation>Mittlere KL-Divergenz vom unquantisierten Modell auf den gemessenen Fenstern</translation>
    </message>
</context>
<context>
    <name>qs::TensorTableModel</name>
    <message>
        <location filename="../widgets/tensor_table_model.cpp" line="181"/>
        <source> (bias)</source>
        <translation> (Bias)</translation>
    </message>
    <message>
        <location filename="../widgets/tensor_table_model.cpp" line="254"/>
        <source>Why this format: %1</source>
        <translation>Warum dieses Format: %1</translation>
    </message>
    <message>
        <location filename="../widgets/tensor_table_model.cpp" line="257"/>
        <source>The measured error of the planned format (run an analysis that includes it)</source>
        <translation>Der gemessene Fehler des geplanten Formats (eine Analyse starten, die es enthält)</translation>
    </message>
    <message>
        <location filename="../widgets/tensor_table_model.cpp" line="250"/>
        <source>n/a: the source stores this tensor already quantized (%1), so there are no original weights to measure an error against</source>
        <translation>k. A.: die Quelle speichert diesen Tensor bereits quantisiert (%1), es gibt keine Originalgewichte, an denen ein Fehler gemessen werden könnte</translation>
    </message>
    <message>
        <location filename="../widgets/tensor_table_model.cpp" line="263"/>
        <source>AWQ applied no input scaling to this Linear: it was rounded to nearest as it is</source>
        <translation>AWQ hat diese Linear-Schicht nicht eingangsseitig skaliert: Sie wurde unverändert auf den nächsten Wert gerundet</translation>
    </message>
    <message>
        <location filename="../widgets/tensor_table_model.cpp" line="264"/>
        <source>AWQ&apos;s input-channel scale ratio max(s) / min(s) under %1: how far it rebalanced this Linear&apos;s input channels before rounding (1: not at all)</source>
        <translation>AWQs Verhältnis der Eingangskanal-Skalen max(s) / min(s) unter %1: wie stark es die Eingangskanäle dieser Linear-Schicht vor dem Runden umverteilt hat (1: gar nicht)</translation>
    </message>
    <message>
        <location filename="../widgets/tensor_table_model.cpp" line="267"/>
        <source>GPTQ&apos;s loss under %1: Σ (w − q)² / d² / 2 over the weight, what the rounding cost on the calibration inputs after the solver&apos;s error compensation (lower is better; compare tensors of one shape)</source>
        <translation>GPTQs Verlust unter %1: Σ (w − q)² / d² / 2 über das Gewicht, was das Runden auf den Kalibrierungseingaben nach der Fehlerkompensation des Lösers kostet (niedriger ist besser; vergleichen Sie Tensoren gleicher Form)</translation>
    </message>
    <message>
        <location filename="../widgets/tensor_table_model.cpp" line="271"/>
        <source>Rounded to nearest (%1): no solver measure</source>
        <translation>Auf den nächsten Wert gerundet (%1): kein Maß des Lösers</translation>
    </message>
    <message>
        <location filename="../widgets/tensor_table_model.cpp" line="272"/>
        <source>Solved for an earlier plan: the plan has changed since</source>
        <translation>Für einen früheren Plan gelöst: Der Plan hat sich seitdem geändert</translation>
    </message>
    <message>
        <location filename="../widgets/tensor_table_model.cpp" line="278"/>
        <source>||W - Q(W)|| / ||W|| under %1; RMSE is %2 quantization steps (%3 is ideal uniform rounding)</source>
        <translation>||W − Q(W)|| / ||W|| unter %1; der RMSE beträgt %2 Quantisierungsschritte (%3 ist ideale gleichmäßige Rundung)</translation>
    </message>
    <message>
        <location filename="../widgets/tensor_table_model.cpp" line="286"/>
        <source>Hugging Face name: %1</source>
        <translation>Hugging-Face-Name: %1</translation>
    </message>
    <message>
        <location filename="../widgets/tensor_table_model.cpp" line="286"/>
        <source>GGUF name: %1</source>
        <translation>GGUF-Name: %1</translation>
    </message>
    <message>
        <location filename="../widgets/tensor_table_model.cpp" line="290"/>
        <source>%1 bytes</source>
        <translation>%1 Bytes</translation>
    </message>
    <message>
        <location filename="../widgets/tensor_table_model.cpp" line="300"/>
        <source>#</source>
        <translation>#</translation>
    </message>
    <message>
        <location filename="../widgets/tensor_table_model.cpp" line="301"/>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <location filename="../widgets/tensor_table_model.cpp" line="302"/>
        <source>Hugging Face name</source>
        <translation>Hugging-Face-Name</translation>
    </message>
    <message>
        <location filename="../widgets/tensor_table_model.cpp" line="302"/>
        <source>GGUF name</source>
        <translation>GGUF-Name</translation>
    </message>
    <message>
        <location filename="../widgets/tensor_table_model.cpp" line="303"/>
        <source>Role</source>
        <translation>Rolle</translation>
    </message>
    <message>
        <location filename="../widgets/tensor_table_model.cpp" line="304"/>
        <source>Layer</source>
        <translation>Schicht</translation>
    </message>
    <message>
        <location filename="../widgets/tensor_table_model.cpp" line="305"/>
        <source>Shape</source>
        <translation>Form</translation>
    </message>
    <message>
        <location filename="../widgets/tensor_table_model.cpp" line="306"/>
        <source>Type</source>
        <translation>Typ</translation>
    </message>
    <message>
        <location filename="../widgets/tensor_table_model.cpp" line="307"/>
        <source>Parameters</source>
        <translation>Parameter</translation>
    </message>
    <message>
        <location filename="../widgets/tensor_table_model.cpp" line="308"/>
        <source>Size</source>
        <translation>Größe</translation>
    </message>
    <message>
        <location filename="../widgets/tensor_table_model.cpp" line="309"/>
        <source>Format</source>
        <translation>Format</translation>
    </message>
    <message>
        <location filename="../widgets/tensor_table_model.cpp" line="310"/>
        <source>Bits/w</source>
        <translation>Bit/Gew.</translation>
    </message>
    <message>
        <location filename="../widgets/tensor_table_model.cpp" line="311"/>
        <source>Planned size</source>
        <translation>Geplante Größe</translation>
    </message>
    <message>
        <location filename="../widgets/tensor_table_model.cpp" line="312"/>
        <source>Planned error</source>
        <translation>Geplanter Fehler</translation>
    </message>
    <message>
        <location filename="../widgets/tensor_table_model.cpp" line="313"/>
        <source>Std dev</source>
        <translation>Std.-Abw.</translation>
    </message>
    <message>
        <location filename="../widgets/tensor_table_model.cpp" line="314"/>
        <source>Kurtosis</source>
        <translation>Kurtosis</translation>
    </message>
    <message>
        <location filename="../widgets/tensor_table_model.cpp" line="316"/>
        <source>Error %1</source>
        <translation>Fehler %1</translation>
    </message>
    <message>
        <location filename="../widgets/tensor_table_model.cpp" line="317"/>
        <source>Error</source>
        <translation>Fehler</translation>
    </message>
    <message>
        <location filename="../widgets/tensor_table_model.cpp" line="318"/>
        <source>SQNR dB</source>
        <translation>SQNR dB</translation>
    </message>
    <message>
        <location filename="../widgets/tensor_table_model.cpp" line="321"/>
        <source>AWQ scale ratio</source>
        <translation>AWQ-Skalenverhältnis</translation>
    </message>
    <message>
        <location filename="../widgets/tensor_table_model.cpp" line="321"/>
        <source>GPTQ loss</source>
        <translation>GPTQ-Verlust</translation>
    </message>
    <message>
        <location filename="../widgets/tensor_table_model.cpp" line="322"/>
        <source>Solver</source>
        <translation>Löser</translation>
    </message>
</context>
<context>
    <name>qs::VramBar</name>
    <message>
        <location filename="../widgets/vram_bar.cpp" line="56"/>
        <source>Memory against the device</source>
        <translation>Speicher im Vergleich zum Gerät</translation>
    </message>
    <message>
        <location filename="../widgets/vram_bar.cpp" line="58"/>
        <source>Open a model to see the memory it needs</source>
        <translation>Ein Modell öffnen, um seinen Speicherbedarf zu sehen</translation>
    </message>
    <message>
        <location filename="../widgets/vram_bar.cpp" line="64"/>
        <source>%1 of %2 on %3</source>
        <translation>%1 von %2 auf %3</translation>
    </message>
    <message>
        <location filename="../widgets/vram_bar.cpp" line="65"/>
        <source>weights %1, KV cache %2, compute %3, overhead %4</source>
        <translation>Gewichte %1, KV-Cache %2, Rechenpuffer %3, Overhead %4</translation>
    </message>
    <message>
        <location filename="../widgets/vram_bar.cpp" line="68"/>
        <source>%1 of weights stay in host memory</source>
        <translation>%1 der Gewichte bleiben im Hauptspeicher</translation>
    </message>
    <message>
        <location filename="../widgets/vram_bar.cpp" line="69"/>
        <source>%1 to spare</source>
        <translation>%1 frei</translation>
    </message>
    <message>
        <location filename="../widgets/vram_bar.cpp" line="70"/>
        <source>short by %1</source>
        <translation>%1 zu wenig</translation>
    </message>
    <message>
        <location filename="../widgets/vram_bar.cpp" line="72"/>
        <source>Compute and overhead for this runtime are published estimates, not yet measured</source>
        <translation>Rechenpuffer und Overhead dieser Laufzeit sind veröffentlichte Schätzungen, noch nicht gemessen</translation>
    </message>
</context>
<context>
    <name>qs::WindowPplChart</name>
    <message>
        <location filename="../widgets/window_ppl_chart.cpp" line="45"/>
        <location filename="../widgets/window_ppl_chart.cpp" line="53"/>
        <source>Perplexity per window</source>
        <translation>Perplexität je Fenster</translation>
    </message>
    <message>
        <location filename="../widgets/window_ppl_chart.cpp" line="46"/>
        <source>The perplexity of each evaluation window along the text, for the selected rows: where a plan hurts</source>
        <translation>Die Perplexität jedes Bewertungsfensters entlang des Textes für die ausgewählten Zeilen: wo ein Plan schadet</translation>
    </message>
    <message>
        <location filename="../widgets/window_ppl_chart.cpp" line="81"/>
        <source>window</source>
        <translation>Fenster</translation>
    </message>
    <message>
        <location filename="../widgets/window_ppl_chart.cpp" line="88"/>
        <source>perplexity</source>
        <translation>Perplexität</translation>
    </message>
</context>
</TS>
