"""What bench/*/run_*.py share: stand-ins for modules the official codes import but never use, and the shared ResNet18."""
import sys
import types


def stub(name, **attrs):
    """Registers an empty module `name` (with `attrs`) so `import name` succeeds."""
    mod = types.ModuleType(name)
    mod.__dict__.update(attrs)
    sys.modules[name] = mod
    return mod


class Bar:
    """tqdm's interface without the bar: iterates, is a context manager, ignores descriptions."""

    def __init__(self, iterable=None, *a, **k):
        self.iterable = iterable

    def __iter__(self):
        return iter(self.iterable)

    def set_description_str(self, *a, **k):
        pass

    def __enter__(self):
        return self

    def __exit__(self, *a):
        return False


def shared_resnet18(shared):
    """torchvision ResNet18 with the ImageNet weights from ../shared/backbones (up to layer3; layer4/fc stay unused)."""
    import os

    import torch
    import torchvision

    backbone = torchvision.models.resnet18()
    weights = torch.load(os.path.join(shared, "backbones/resnet18_imagenet_to_layer3/resnet18_to_layer3.pth"), map_location="cpu")
    missing, unexpected = backbone.load_state_dict(weights, strict=False)
    assert not unexpected and all(k.startswith(("layer4", "fc")) for k in missing), (missing, unexpected)
    backbone.name, backbone.seed = "resnet18", None
    return backbone
