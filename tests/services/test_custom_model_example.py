"""examples/custom_billing_model.py runs as documented and bills by the started minute."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "custom_billing_model.py"


def test_the_custom_billing_model_example_runs() -> None:
    done = subprocess.run([sys.executable, str(EXAMPLE)], capture_output=True, text=True, check=True)
    # 250 s bills as 5 started minutes: 1,200 builds × 5 = 6,000 minutes; 2,000 included;
    # 4,000 × $0.008 = $32.00
    assert "6,000 minute, 2,000 free, 4,000 billed" in done.stdout
    assert done.stdout.splitlines()[-1] == "total $32.00/month"
