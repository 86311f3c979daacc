"""msg: the commit message rules of submitting-patches.rst."""
import email
import email.policy
import re

from checks.common import Finding


NON_IMPERATIVE = {
    "adds", "fixes", "makes", "removes", "updates", "uses", "changes", "moves",
    "converts", "implements", "introduces", "allows", "ensures", "avoids",
    "handles", "drops", "teaches", "lets", "returns", "asks", "tests", "adding",
}


def check_message(text, patch=""):
    """Findings of the commit-message rules in the patch TEXT."""
    errs = []
    msg = email.message_from_string(text, policy=email.policy.default)
    subject = re.sub(r"\s+", " ", str(msg["Subject"] or ""))
    subject = re.sub(r"^\[[^\]]*\]\s*", "", subject)
    sender = str(msg["From"] or "")
    if len(subject) > 75:
        errs.append(f"subject is {len(subject)} characters (at most 75): {subject}")
    m = re.match(r"^([\w./-]+(?:: [\w./-]+)*): (\S+)", subject)
    if not m:
        errs.append(f"subject is not 'subsys: summary': {subject}")
    else:
        word = m.group(2)
        if word[0].isupper() and not word.isupper():
            errs.append(f"summary should start in lower case: {word}")
        w = word.lower()
        if w.endswith(("ed", "ing")) and w not in ("need", "embed") or w in NON_IMPERATIVE:
            errs.append(f"summary should be imperative ('{word}' is not): {subject}")
    payload = text.split("\n\n", 1)[1] if "\n\n" in text else ""
    body = payload.split("\n---\n", 1)[0]
    if "\n---\n" not in payload:
        errs.append("no '---' separator between message and diff")
    if not re.search(r"^diff --git ", text, flags=re.M):
        errs.append("the patch is empty (no diff)")
    for line in body.splitlines():
        if len(line) > 75 and not re.match(r"^[\w-]+: ", line) and "://" not in line:
            errs.append(f"body line longer than 75 columns: {line}")
    sobs = re.findall(r"^Signed-off-by: (.+)$", body, flags=re.M)
    if not sobs:
        errs.append("no Signed-off-by")
    elif sender.strip() not in [s.strip() for s in sobs]:
        errs.append(f"no Signed-off-by matches From ({sender})")
    for fx in re.findall(r"^Fixes:.*$", body, flags=re.M):
        if not re.match(r'^Fixes: [0-9a-f]{12,40} \("[^\n]+"\)$', fx):
            errs.append(f"Fixes: tag not in the kernel's format: {fx}")
    if len(body.strip().splitlines()) < 3:
        errs.append("the message has no body saying why")
    return [Finding("msg", patch, e) for e in errs]
