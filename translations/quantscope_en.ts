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
