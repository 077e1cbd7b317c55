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
