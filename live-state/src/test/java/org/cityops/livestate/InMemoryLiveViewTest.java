package org.cityops.livestate;

class InMemoryLiveViewTest extends LiveViewContract {

    @Override
    LiveView newView() {
        return new InMemoryLiveView();
    }
}
