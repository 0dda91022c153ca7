"""The legal-aid eligibility walkthrough (法律援助自测), without any Kivy.

The rules are data in the content pack (`legal_aid/rules.yaml`): questions set facts, a
first-match table of rules turns facts into one of three hedged outcomes, and dated parameters
(the income line) carry their effective date and source. This package reads those rules,
evaluates facts, keeps one resident's answers (`Walkthrough`), lints the rule file, runs staff
case tables and draws the flowchart for the legal-aid centre's sign-off.
"""
