<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="en">
<context>
    <name>qs::LayerGroupModel</name>
    <message numerus="yes">
        <source>%1 — %n tensor(s)</source>
        <translation>
            <numerusform>%1 — %n tensor</numerusform>
            <numerusform>%1 — %n tensors</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>qs::NextTokenView</name>
    <message numerus="yes">
        <source>The prompt is %n token(s).</source>
        <translation>
            <numerusform>The prompt is %n token.</numerusform>
            <numerusform>The prompt is %n tokens.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>qs::PlanPanel</name>
    <message numerus="yes">
        <source>Rule %1 &apos;%2&apos; decides none of the %n tensor(s) it matches: earlier rules, overrides or the GPTQ/AWQ choice take them all.</source>
        <translation>
            <numerusform>Rule %1 &apos;%2&apos; decides none of the %n tensor it matches: earlier rules, overrides or the GPTQ/AWQ choice take it.</numerusform>
            <numerusform>Rule %1 &apos;%2&apos; decides none of the %n tensors it matches: earlier rules, overrides or the GPTQ/AWQ choice take them all.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Rule %1 &apos;%2&apos; decides none of the %n tensor(s) it matches: earlier rules or overrides take them all.</source>
        <translation>
            <numerusform>Rule %1 &apos;%2&apos; decides none of the %n tensor it matches: an earlier rule or override takes it.</numerusform>
            <numerusform>Rule %1 &apos;%2&apos; decides none of the %n tensors it matches: earlier rules or overrides take them all.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Rule %1 &apos;%2&apos; names %3, which none of the %n tensor(s) it decides can take (only Linear weights of the blocks whose shape fits): they stay in 16 bits.</source>
        <translation>
            <numerusform>Rule %1 &apos;%2&apos; names %3, which the %n tensor it decides cannot take (only Linear weights of the blocks whose shape fits): it stays in 16 bits.</numerusform>
            <numerusform>Rule %1 &apos;%2&apos; names %3, which none of the %n tensors it decides can take (only Linear weights of the blocks whose shape fits): they stay in 16 bits.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>The plan mixes GGUF formats (%n tensor(s), such as %1 in %2) with GPTQ/AWQ/RTN formats (%3), which no one file holds: a GGUF export refuses it, and a GPTQ/AWQ checkpoint keeps the GGUF-planned tensors in 16 bits.</source>
        <translation>
            <numerusform>The plan mixes GGUF formats (%n tensor, %1 in %2) with GPTQ/AWQ/RTN formats (%3), which no one file holds: a GGUF export refuses it, and a GPTQ/AWQ checkpoint keeps the GGUF-planned tensor in 16 bits.</numerusform>
            <numerusform>The plan mixes GGUF formats (%n tensors, such as %1 in %2) with GPTQ/AWQ/RTN formats (%3), which no one file holds: a GGUF export refuses it, and a GPTQ/AWQ checkpoint keeps the GGUF-planned tensors in 16 bits.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n tensor(s)</source>
        <translation>
            <numerusform>%n tensor</numerusform>
            <numerusform>%n tensors</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>qs::RuleTableModel</name>
    <message numerus="yes">
        <source>%n tensor(s)</source>
        <translation>
            <numerusform>%n tensor</numerusform>
            <numerusform>%n tensors</numerusform>
        </translation>
    </message>
</context>
</TS>
