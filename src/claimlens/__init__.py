"""claimlens: audit health claims in articles."""

from claimlens.scan import ScanResult, scan_frame, scan_paths, scan_texts

__version__ = "0.1.0"
__all__ = ["ScanResult", "scan_frame", "scan_paths", "scan_texts", "__version__"]
